// Module hooks (registerForwardPreHook, registerForwardHook, registerFullBackwardHook) against PyTorch 1.13
// (fixtures/hooks.json, written by fixtures/gen_hooks.py): each case runs the generator's Python line by line.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

interface FixtureTensor {
  shape: number[];
  data: number[];
}
type Grad = FixtureTensor | null;
interface Call {
  gi: Grad[];
  go: Grad[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the fixture's JSON, read case by case */
const fx = loadFixture('hooks', new URL('./fixtures/', import.meta.url)).module as Record<string, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

const tensorOf = (t: FixtureTensor, requiresGrad = false) =>
  torch.fromArray(Float32Array.from(t.data), t.shape, { requiresGrad });
// Gradients and hook arguments, all float32.
const T = (t: torch.Tensor | null): Grad =>
  t === null ? null : { shape: [...t.shape], data: Array.from(t.dataSync() as Float32Array) };
const grads = (gs: (torch.Tensor | null)[]) => gs.map(T);

function expectClose(actual: Grad, expected: Grad): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(actual?.shape).toEqual(expected.shape);
  expected.data.forEach((v, i) => expect(actual?.data[i]).toBeCloseTo(v, 5));
}

function expectCalls(actual: Call[], expected: Call[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((call, i) => {
    expect(call.gi.length).toBe(expected[i].gi.length);
    expect(call.go.length).toBe(expected[i].go.length);
    call.gi.forEach((g, j) => expectClose(g, expected[i].gi[j]));
    call.go.forEach((g, j) => expectClose(g, expected[i].go[j]));
  });
}

function loadState(module: torch.nn.Module, state: Record<string, FixtureTensor>): void {
  module.loadStateDict(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, tensorOf(v)])));
}

class Two extends torch.nn.Module {
  override forward(a: torch.Tensor, b: torch.Tensor | number): torch.Tensor {
    return a.mul(2).add(b);
  }
}

class Ignore extends torch.nn.Module {
  override forward(a: torch.Tensor, _b: torch.Tensor): torch.Tensor {
    return a.mul(2);
  }
}

class Pair extends torch.nn.Module {
  override forward(a: torch.Tensor): [torch.Tensor, torch.Tensor] {
    return [a.mul(2), a.mul(3)];
  }
}

class Echo extends torch.nn.Module {
  override forward(...args: unknown[]): unknown[] {
    return args;
  }
}

describe('the "Forward and Backward Function Hooks" tutorial, on nn.Linear', () => {
  const c = fx.tutorial;
  const net = new torch.nn.Sequential(new torch.nn.Linear(4, 3), new torch.nn.ReLU(), new torch.nn.Linear(3, 2));
  loadState(net, c.state);
  const x = tensorOf(c.x);
  const target = tensorOf(c.target);
  const layer = net.getSubmodule('2') as torch.nn.Linear;
  const paramGrads = () => Object.fromEntries(net.namedParameters().map(([k, p]) => [k, T(p.grad)]));

  it('printnorm and printgradnorm see the inputs, output and gradients PyTorch shows', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const seen: Record<string, any> = {};
    const printnorm = (self: torch.nn.Module, input: [torch.Tensor], output: torch.Tensor) => {
      // input is an array of the inputs; output is a Tensor.
      seen.forward = { name: self._getName(), n_inputs: input.length, input0: T(input[0]), output: T(output) };
    };
    const printgradnorm = (self: torch.nn.Module, gradInput: (torch.Tensor | null)[], gradOutput: (torch.Tensor | null)[]) => {
      // gradInput and gradOutput are arrays: one entry per input and per output.
      seen.backward = { name: self._getName(), grad_input: grads(gradInput), grad_output: grads(gradOutput) };
    };
    const h1 = layer.registerForwardHook(printnorm);
    const h2 = layer.registerFullBackwardHook(printgradnorm);
    const out = net(x);
    const loss = torch.nn.functional.mseLoss(out, target);
    loss.backward();
    expect(loss.item()).toBeCloseTo(c.loss, 5);
    expect([seen.forward.name, seen.forward.n_inputs]).toEqual([c.seen.forward.name, c.seen.forward.n_inputs]);
    expectClose(seen.forward.input0, c.seen.forward.input0);
    expectClose(seen.forward.output, c.seen.forward.output);
    expect(seen.backward.name).toBe(c.seen.backward.name);
    expectCalls([{ gi: seen.backward.grad_input, go: seen.backward.grad_output }], [
      { gi: c.seen.backward.grad_input, go: c.seen.backward.grad_output },
    ]);
    for (const [k, g] of Object.entries(paramGrads())) expectClose(g, c.grads[k]);
    h1.remove();
    h2.remove();
  });

  it('a backward hook returning a doubled gradInput doubles what reaches the layers below', () => {
    net.zeroGrad();
    const h3 = layer.registerFullBackwardHook((m, gi) => [(gi[0] as torch.Tensor).mul(2)]);
    torch.nn.functional.mseLoss(net(x), target).backward();
    for (const [k, g] of Object.entries(paramGrads())) expectClose(g, c.doubled_grads[k]);
    h3.remove();
  });
});

describe('registerFullBackwardHook', () => {
  it("gives gradInput [null] when the input does not require grad (run from the output's side)", () => {
    const c = fx.linear;
    const lin = new torch.nn.Linear(2, 1);
    loadState(lin, c.state);
    const log: Call[] = [];
    lin.registerFullBackwardHook((m, gi, go) => {
      log.push({ gi: grads(gi), go: grads(go) });
    });
    const xin = tensorOf(c.x);
    lin(xin).sum().backward();
    const xr = xin.clone().requiresGrad_();
    lin(xr).sum().backward();
    expectCalls(log, c.calls);
    expectClose(T(xr.grad), c.x_grad);
  });

  it('gives zeros for a tensor input without grad or unused, null for a number; a null replacement sends zeros', () => {
    const c = fx.two_inputs;
    const log: Call[] = [];
    const record = (m: torch.nn.Module, gi: (torch.Tensor | null)[], go: (torch.Tensor | null)[]) => {
      log.push({ gi: grads(gi), go: grads(go) });
    };
    const m = new Two();
    m.registerFullBackwardHook(record);
    const a = torch.tensor([1, 2], { requiresGrad: true });
    m(a, torch.tensor([3, 4], { dtype: 'float32' })).sum().backward();
    m(a, 5).sum().backward();
    const b = torch.tensor([3, 4], { requiresGrad: true });
    m(a, b).sum().backward();
    const m2 = new Ignore();
    m2.registerFullBackwardHook(record);
    const bUnused = torch.tensor([3, 4], { requiresGrad: true });
    m2(a, bUnused).sum().backward();
    expectCalls(log, c.calls);
    expectClose(T(bUnused.grad), c.unused_grad);

    const m3 = new Two();
    m3.registerFullBackwardHook((mod, gi) => [(gi[0] as torch.Tensor).mul(10), null]);
    const a3 = torch.tensor([1, 2], { requiresGrad: true });
    const b3 = torch.tensor([3, 4], { requiresGrad: true });
    m3(a3, b3).sum().backward();
    expectClose(T(a3.grad), c.replaced.a);
    // PyTorch sends no gradient for a null entry (b3.grad stays None); Descent sends zeros (see from-pytorch.md).
    expect(c.replaced.b).toBeNull();
    expectClose(T(b3.grad), { shape: [2], data: [0, 0] });
    const lin = new torch.nn.Linear(2, 1);
    lin.registerFullBackwardHook(() => [null]);
    const x1 = torch.ones(3, 2, { requiresGrad: true });
    lin(x1).sum().backward();
    expect(c.replaced.one_input).toBeNull();
    expectClose(T(x1.grad), { shape: [3, 2], data: [0, 0, 0, 0, 0, 0] });
  });

  it('gives null for an output that no gradient reached', () => {
    const log: Call[] = [];
    const m = new Pair();
    m.registerFullBackwardHook((mod, gi, go) => {
      log.push({ gi: grads(gi), go: grads(go) });
    });
    const a = torch.tensor([1, 2], { requiresGrad: true });
    let [o1, o2] = m(a);
    o1.sum().backward();
    [o1, o2] = m(a);
    o1.sum().add(o2.sum()).backward();
    expectCalls(log, fx.two_outputs);
  });

  it('sees both sides of nn.Identity, which returns its (non-contiguous) input', () => {
    const log: Call[] = [];
    const m = new torch.nn.Identity();
    m.registerFullBackwardHook((mod, gi, go) => {
      log.push({ gi: grads(gi), go: grads(go) });
    });
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    m(x.t()).mul(3).sum().backward();
    expectCalls(log, fx.identity.calls);
    expectClose(T(x.grad), fx.identity.x_grad);
  });

  it('chains hooks: the second sees what the first returned', () => {
    const log: Grad[] = [];
    const m = new torch.nn.Linear(2, 1);
    torch.noGrad(() => m.weight.copy_(torch.tensor([[1, 2]], { dtype: 'float32' })));
    m.registerFullBackwardHook((mod, gi) => [(gi[0] as torch.Tensor).mul(2)]);
    m.registerFullBackwardHook((mod, gi) => {
      log.push(T(gi[0]));
      return [(gi[0] as torch.Tensor).add(1)];
    });
    const x = torch.ones(1, 2, { requiresGrad: true });
    m(x).sum().backward();
    expect(log.length).toBe(fx.chain.seen.length);
    log.forEach((g, i) => expectClose(g, fx.chain.seen[i]));
    expectClose(T(x.grad), fx.chain.x_grad);
  });

  it('runs once per call of the module', () => {
    const m = new torch.nn.Linear(2, 1);
    torch.noGrad(() => m.weight.copy_(torch.tensor([[1, -2]], { dtype: 'float32' })));
    const log: Call[] = [];
    m.registerFullBackwardHook((mod, gi, go) => {
      log.push({ gi: grads(gi), go: grads(go) });
    });
    const x = torch.ones(3, 2, { requiresGrad: true });
    m(x).sum().add(m(x.mul(2)).mul(4).sum()).backward();
    expectCalls(log, fx.twice);
  });

  it('is not set up under noGrad, nor when forward is called directly', () => {
    const m = new torch.nn.Linear(2, 1);
    let calls = 0;
    m.registerFullBackwardHook(() => {
      calls++;
    });
    const x = torch.ones(3, 2, { requiresGrad: true });
    expect(torch.noGrad(() => m(x)).gradFn).toBeNull();
    m.forward(x).sum().backward();
    expect(calls).toBe(0);
  });

  it("throws PyTorch's errors: a wrong number of gradients, gradients where no input requires grad, an in-place input", () => {
    const m = new torch.nn.Linear(2, 1);
    m.registerFullBackwardHook(() => [null, null]);
    expect(() => m(torch.ones(3, 2, { requiresGrad: true })).sum().backward()).toThrow(fx.errors.count);
    const m2 = new torch.nn.Linear(2, 1);
    m2.registerFullBackwardHook(() => [torch.ones(1)]);
    expect(() => m2(torch.ones(3, 2)).sum().backward()).toThrow(fx.errors.no_input_grad);
    const relu = new torch.nn.ReLU(true);
    relu.registerFullBackwardHook(() => undefined);
    expect(() => relu(torch.tensor([-1, 2], { requiresGrad: true }).mul(1))).toThrow(fx.errors.inplace_input);
  });
});

describe('hook order', () => {
  it('through a Sequential: pre-hooks and forward hooks outside in, backward hooks inside out', () => {
    const order: string[] = [];
    const seq = new torch.nn.Sequential(new torch.nn.Linear(2, 2), new torch.nn.ReLU());
    for (const [name, mod] of [['seq', seq], ['lin', seq.getSubmodule('0')], ['relu', seq.getSubmodule('1')]] as const) {
      mod.registerForwardPreHook(() => {
        order.push('pre ' + name);
      });
      mod.registerForwardHook(() => {
        order.push('fwd ' + name);
      });
      mod.registerFullBackwardHook(() => {
        order.push('bwd ' + name);
      });
    }
    seq(torch.ones(1, 2, { requiresGrad: true })).sum().backward();
    expect(order).toEqual(fx.order.sequential);
  });

  it("with tensor hooks on the module's input and output", () => {
    const order: string[] = [];
    const x = torch.ones(1, 2, { requiresGrad: true });
    const xx = x.mul(1);
    xx.registerHook(() => {
      order.push('tensor hook on the input');
    });
    const lin = new torch.nn.Linear(2, 2);
    lin.registerFullBackwardHook(() => {
      order.push('module backward hook');
    });
    const o = lin(xx);
    o.registerHook(() => {
      order.push('tensor hook on the output');
    });
    o.sum().backward();
    expect(order).toEqual(fx.order.with_tensor_hooks);
  });
});

describe('registerForwardPreHook and registerForwardHook', () => {
  const c = fx.forward;

  it('a pre-hook replaces the inputs: an array is the inputs, anything else the one input', () => {
    let m = new Echo();
    m.registerForwardPreHook(() => 5);
    expect(m(1, 2)).toEqual(c.pre_single);
    m = new Echo();
    m.registerForwardPreHook(() => [7, 8, 9]);
    expect(m(1)).toEqual(c.pre_tuple);
  });

  it('each pre-hook sees what the previous one returned, and so does the forward hook', () => {
    const m = new Echo();
    const seen: unknown[][] = [];
    m.registerForwardPreHook((mod, inp) => inp.map((v) => (v as number) * 10));
    m.registerForwardPreHook((mod, inp) => {
      seen.push([...inp]);
    });
    m.registerForwardHook((mod, inp) => {
      seen.push([...inp]);
    });
    expect(m(1, 2)).toEqual(c.pre_chain.output);
    expect(seen).toEqual(c.pre_chain.seen);
  });

  it('a forward hook replaces the output; calling forward directly runs no hook; a removed hook does not run', () => {
    let m = new Echo();
    m.registerForwardHook((mod, inp) => ['replaced', [...inp]]);
    expect(m(1)).toEqual(c.forward_replace);
    m = new Echo();
    m.registerForwardHook(() => 'X');
    expect({ forward: m.forward(1), call: m(1) }).toEqual(c.direct_forward);
    m = new Echo();
    const h = m.registerForwardHook(() => 'X');
    h.remove();
    expect(m(1)).toEqual(c.removed);
  });

  it('the forward hook gets the inputs as passed, or their identity views when there are backward hooks', () => {
    const m = new torch.nn.Linear(2, 1);
    const x = torch.ones(3, 2, { requiresGrad: true });
    const same: boolean[] = [];
    m.registerForwardHook((mod, inp) => {
      same.push(inp[0] === x);
    });
    m(x);
    m.registerFullBackwardHook(() => undefined);
    m(x);
    expect(same).toEqual([true, false]);
  });
});
