import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// The PyTorch tutorial "Learning PyTorch with Examples" translated line by line: the polynomial fit to sin(x) with
// tensors, autograd, a custom autograd Function, nn, optim, a custom Module and a dynamic graph.
// fixtures/gen_tutorial_pytorch_examples.py runs the originals with real PyTorch 1.13 (300 steps each).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-pytorch-examples', new URL('./fixtures/', import.meta.url));
type Tensor = torch.Tensor;
const STEPS = 300;

function expectRun(printed: [number, number][], result: number[], expected: { printed: [number, number][]; result: number[] }, tol = 1e-4): void {
  expect(printed.map(([t]) => t)).toEqual(expected.printed.map(([t]) => t));
  printed.forEach(([, loss], i) => expect(Math.abs(loss - expected.printed[i][1]), `loss at ${printed[i][0]}`).toBeLessThanOrEqual(tol * expected.printed[i][1]));
  result.forEach((r, i) => expect(Math.abs(r - expected.result[i]), `coefficient ${i}: ${r} vs ${expected.result[i]}`).toBeLessThanOrEqual(tol * (1e-3 + Math.abs(expected.result[i]))));
}

class LegendrePolynomial3 extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return torch.mul(0.5, torch.mul(5, input.pow(3)).sub(torch.mul(3, input)));
  }
  static backward(ctx: torch.autograd.FunctionCtx, grad_output: Tensor): Tensor {
    const [input] = ctx.savedTensors;
    return grad_output.mul(1.5).mul(torch.mul(5, input.pow(2)).sub(1));
  }
}

class Polynomial3 extends torch.nn.Module {
  a = new torch.nn.Parameter(torch.randn([]));
  b = new torch.nn.Parameter(torch.randn([]));
  c = new torch.nn.Parameter(torch.randn([]));
  d = new torch.nn.Parameter(torch.randn([]));
  override forward(x: Tensor): Tensor {
    return this.a.add(this.b.mul(x)).add(this.c.mul(x.pow(2))).add(this.d.mul(x.pow(3)));
  }
}

class DynamicNet extends torch.nn.Module {
  a = new torch.nn.Parameter(torch.randn([]));
  b = new torch.nn.Parameter(torch.randn([]));
  c = new torch.nn.Parameter(torch.randn([]));
  d = new torch.nn.Parameter(torch.randn([]));
  e = new torch.nn.Parameter(torch.randn([]));
  constructor(private readonly draws: number[]) {
    super();
  }
  override forward(x: Tensor): Tensor {
    let y = this.a.add(this.b.mul(x)).add(this.c.mul(x.pow(2))).add(this.d.mul(x.pow(3)));
    const n = this.draws.shift()!; // Python's random.randint(4, 6), replayed
    for (let exp = 4; exp < n; exp++) y = y.add(this.e.mul(x.pow(exp)));
    return y;
  }
}

describe('Learning PyTorch with Examples', () => {
  it('fits with tensors and hand-written gradients', { timeout: 120_000 }, () => {
    torch.manualSeed(0);
    const dtype = torch.float;
    const device = torch.device('cpu');
    const x = torch.linspace(-Math.PI, Math.PI, 2000, { device, dtype });
    const y = torch.sin(x);
    const [a, b, c, d] = [0, 1, 2, 3].map(() => torch.randn([], { device, dtype }));
    const learning_rate = 1e-6;
    const printed: [number, number][] = [];
    for (let t = 0; t < STEPS; t++) {
      const y_pred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
      const loss = y_pred.sub(y).pow(2).sum().item();
      if (t % 100 === 99) printed.push([t, loss]);
      const grad_y_pred = torch.mul(2.0, y_pred.sub(y));
      const grad_a = grad_y_pred.sum();
      const grad_b = grad_y_pred.mul(x).sum();
      const grad_c = grad_y_pred.mul(x.pow(2)).sum();
      const grad_d = grad_y_pred.mul(x.pow(3)).sum();
      a.sub_(torch.mul(learning_rate, grad_a));
      b.sub_(torch.mul(learning_rate, grad_b));
      c.sub_(torch.mul(learning_rate, grad_c));
      d.sub_(torch.mul(learning_rate, grad_d));
    }
    expectRun(printed, [a.item(), b.item(), c.item(), d.item()], golden.tensors);
    expect(String(a).length).toBe(golden.tensors.a_repr.length); // tensor(1.1081): a 0-d float prints 4 decimals
  });

  it('fits with autograd', { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const dtype = torch.float;
    const x = torch.linspace(-Math.PI, Math.PI, 2000, { dtype });
    const y = torch.sin(x);
    const [a, b, c, d] = [0, 1, 2, 3].map(() => torch.randn([], { dtype, requiresGrad: true }));
    const learning_rate = 1e-6;
    const printed: [number, number][] = [];
    let loss!: Tensor;
    for (let t = 0; t < STEPS; t++) {
      const y_pred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));
      loss = y_pred.sub(y).pow(2).sum();
      if (t % 100 === 99) printed.push([t, loss.item()]);
      loss.backward();
      torch.noGrad(() => {
        for (const p of [a, b, c, d]) p.sub_(torch.mul(learning_rate, p.grad!));
        for (const p of [a, b, c, d]) p.grad = null;
      });
    }
    expectRun(printed, [a.item(), b.item(), c.item(), d.item()], golden.autograd);
    expect(String(loss).replace(/\(\d+\.\d+/, '(x')).toBe(golden.autograd.loss_repr.replace(/\(\d+\.\d+/, '(x'));

    // custom autograd Function, continuing the same random stream as PyTorch's script
    const a2 = torch.full([], 0.0, { dtype, requiresGrad: true });
    const b2 = torch.full([], -1.0, { dtype, requiresGrad: true });
    const c2 = torch.full([], 0.0, { dtype, requiresGrad: true });
    const d2 = torch.full([], 0.3, { dtype, requiresGrad: true });
    const printed2: [number, number][] = [];
    let y_pred!: Tensor;
    for (let t = 0; t < STEPS; t++) {
      const P3 = (input: Tensor): Tensor => LegendrePolynomial3.apply(input) as Tensor;
      y_pred = a2.add(b2.mul(P3(c2.add(d2.mul(x)))));
      const l = y_pred.sub(y).pow(2).sum();
      if (t % 100 === 99) printed2.push([t, l.item()]);
      l.backward();
      torch.noGrad(() => {
        for (const p of [a2, b2, c2, d2]) p.sub_(torch.mul(5e-6, p.grad!));
        for (const p of [a2, b2, c2, d2]) p.grad = null;
      });
    }
    expectRun(printed2, [a2.item(), b2.item(), c2.item(), d2.item()], golden.custom_function);
    expect(String(y_pred.index(':3')).replace(/-?\d+\.\d+/g, 'x')).toBe(golden.custom_function.y_pred_repr.replace(/-?\d+\.\d+/g, 'x'));
  });

  const nnVersion = (use_optim: boolean): void => {
    const x = torch.linspace(-Math.PI, Math.PI, 2000);
    const y = torch.sin(x);
    const p = torch.tensor([1, 2, 3]);
    const xx = x.unsqueeze(-1).pow(p);
    const expected = use_optim ? golden.optim : golden.nn;
    expect([xx.shape, `torch.${xx.dtype}`]).toEqual([expected.xx_shape, expected.xx_dtype]);
    const model = new torch.nn.Sequential(new torch.nn.Linear(3, 1), new torch.nn.Flatten(0, 1));
    const loss_fn = new torch.nn.MSELoss({ reduction: 'sum' });
    const learning_rate = use_optim ? 1e-3 : 1e-6;
    const optimizer = use_optim ? new torch.optim.RMSprop(model.parameters(), { lr: learning_rate }) : null;
    const printed: [number, number][] = [];
    let y_pred!: Tensor;
    for (let t = 0; t < STEPS; t++) {
      y_pred = model(xx);
      const loss = loss_fn(y_pred, y);
      if (t % 100 === 99) printed.push([t, loss.item()]);
      if (optimizer) {
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
      } else {
        model.zeroGrad();
        loss.backward();
        torch.noGrad(() => {
          for (const param of model.parameters()) param.sub_(torch.mul(learning_rate, param.grad!));
        });
      }
    }
    const linear_layer = model[0] as torch.nn.Linear;
    const w = linear_layer.weight;
    expectRun(printed, [linear_layer.bias!.item(), w.index(':', 0).item(), w.index(':', 1).item(), w.index(':', 2).item()], expected);
    expect(String(model)).toBe(expected.model_repr);
    expect(String(y_pred.index(':2')).replace(/-?\d+\.\d+/g, 'x')).toBe(expected.y_pred_repr.replace(/-?\d+\.\d+/g, 'x'));
  };

  it('fits with nn.Sequential(Linear, Flatten(0, 1)) and updates by hand', { timeout: 120_000 }, () => {
    torch.manualSeed(2);
    nnVersion(false);
  });

  it('fits with optim.RMSprop', { timeout: 120_000 }, () => {
    torch.manualSeed(3);
    nnVersion(true);
  });

  const customModule = (dynamic: boolean): void => {
    const x = torch.linspace(-Math.PI, Math.PI, 2000);
    const y = torch.sin(x);
    const expected = dynamic ? golden.dynamic : golden.module;
    const model = dynamic ? new DynamicNet([...expected.draws]) : new Polynomial3();
    const criterion = new torch.nn.MSELoss({ reduction: 'sum' });
    const optimizer = dynamic ? new torch.optim.SGD(model.parameters(), { lr: 1e-8, momentum: 0.9 }) : new torch.optim.SGD(model.parameters(), { lr: 1e-6 });
    const printed: [number, number][] = [];
    for (let t = 0; t < STEPS; t++) {
      const y_pred = model(x);
      const loss = criterion(y_pred, y);
      if (t % 100 === 99) printed.push([t, loss.item()]);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    expectRun(printed, [...model.parameters()].map((p) => p.item()), expected);
    expect([...model.namedParameters()].map(([n]) => n)).toEqual(expected.params);
    expect(String(model)).toBe(expected.repr);
  };

  it('fits with a custom nn.Module', { timeout: 120_000 }, () => {
    torch.manualSeed(4);
    customModule(false);
  });

  it('fits with control flow and weight sharing (DynamicNet)', { timeout: 120_000 }, () => {
    torch.manualSeed(5);
    customModule(true);
  });
});
