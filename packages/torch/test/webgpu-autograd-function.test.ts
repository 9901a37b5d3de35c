// torch.autograd.Function on a real GPU (lavapipe in CI): a Function is only tensor ops, so forward, backward, the
// packed gradient of several outputs and double backward all run on the device. Against PyTorch 1.13
// (fixtures/autograd-function.json, written by fixtures/gen_autograd_function.py); autograd-function.test.ts checks
// the same on the CPU.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();
const fx = loadFixture('autograd-function', new URL('./fixtures/', import.meta.url)).cases;

class LegendrePolynomial3 extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, input: torch.Tensor): torch.Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static backward(ctx: torch.autograd.FunctionCtx, gradOutput: torch.Tensor): torch.Tensor {
    const [input] = ctx.savedTensors;
    return gradOutput.mul(1.5).mul(input.pow(2).mul(5).sub(1));
  }
}

class Cube extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static backward(ctx: torch.autograd.FunctionCtx, gradOutput: torch.Tensor) {
    const [x] = ctx.savedTensors;
    return gradOutput.mul(x.pow(2).mul(3));
  }
}

class SinCos extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    ctx.saveForBackward(x);
    return [x.sin(), x.cos()];
  }
  static backward(ctx: torch.autograd.FunctionCtx, gSin: torch.Tensor, gCos: torch.Tensor) {
    const [x] = ctx.savedTensors;
    return gSin.mul(x.cos()).sub(gCos.mul(x.sin()));
  }
}

const received: torch.Tensor[] = [];
/** Doubles x; also returns x > 0 as a float mask, marked non-differentiable: backward gets zeros for it. */
class DoubleWithMask extends torch.autograd.Function {
  static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const mask = x.gt(0).float();
    ctx.markNonDifferentiable(mask);
    return [x.mul(2), mask];
  }
  static backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor, gMask: torch.Tensor) {
    received.push(gMask);
    return g.mul(2);
  }
}

async function expectValues(t: torch.Tensor | null, expected: number[], digits = 5): Promise<void> {
  expect(t).not.toBeNull();
  expect(t!.device.type).toBe('webgpu');
  const got = Array.from((await t!.dataAsync()) as Float32Array);
  expect(got.length).toBe(expected.length);
  expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));
}

describe.runIf(available)('WebGPU: torch.autograd.Function', () => {
  it(`the tutorial polynomial_custom_function.py on the GPU gives PyTorch's fit (${fx.tutorial.iterations} iterations)`, async () => {
    const dtype = 'float32';
    const device = torch.device('webgpu');
    const x = torch.linspace(-Math.PI, Math.PI, 2000, { device, dtype });
    const y = torch.sin(x);
    const a = torch.full([], 0.0, { device, dtype, requiresGrad: true });
    const b = torch.full([], -1.0, { device, dtype, requiresGrad: true });
    const c = torch.full([], 0.0, { device, dtype, requiresGrad: true });
    const d = torch.full([], 0.3, { device, dtype, requiresGrad: true });
    const learningRate = 5e-6;
    const printed: [number, number][] = [];
    for (let t = 0; t < fx.tutorial.iterations; t++) {
      const P3 = (input: torch.Tensor) => LegendrePolynomial3.apply(input);
      const yPred = a.add(b.mul(P3(c.add(d.mul(x)))));
      const loss = yPred.sub(y).pow(2).sum();
      // A GPU read is asynchronous: only the steps the tutorial prints are read.
      if (t % 100 === 99) printed.push([t, await loss.itemAsync()]);
      loss.backward();
      torch.noGrad(() => {
        for (const p of [a, b, c, d]) {
          p.sub_(p.grad!.mul(learningRate));
          p.grad = null;
        }
      });
    }
    const expected = fx.tutorial;
    printed.forEach(([t, loss], i) => {
      const [pyStep, pyLoss] = expected.printed[i].split(' ').map(Number);
      expect(t).toBe(pyStep);
      // The GPU sums the 2000 terms in another order than the CPU: float32 rounding, not a different fit.
      expect(Math.abs(loss - pyLoss)).toBeLessThan(1e-4 * pyLoss);
    });
    expect(Math.abs((await a.itemAsync()) - expected.result.a)).toBeLessThan(1e-5);
    expect(Math.abs((await c.itemAsync()) - expected.result.c)).toBeLessThan(1e-5);
    expect(await b.itemAsync()).toBeCloseTo(expected.result.b, 4);
    expect(await d.itemAsync()).toBeCloseTo(expected.result.d, 4);
  });

  it('Cube: <CubeBackward> on the GPU; double backward stays on the device', async () => {
    const c = fx.cube;
    const x = torch.tensor(c.x, { device: 'webgpu', requiresGrad: true });
    const y = Cube.apply(x);
    expect(y.gradFn?.name()).toBe(c.grad_fn);
    expect(await y.toStringAsync()).toMatch(/grad_fn=<CubeBackward>\)$/);
    await expectValues(y, c.y);
    const [g] = torch.autograd.grad(y.sum(), x, { createGraph: true });
    await expectValues(g, c.grad);
    const [gg] = torch.autograd.grad(g!.sum(), x);
    await expectValues(gg, c.grad2);
  });

  it('several outputs: the packed gradient, zeros for an output without one, zeros for a non-differentiable one', async () => {
    const c = fx.sin_cos;
    const x = torch.tensor(c.x, { device: 'webgpu', requiresGrad: true });
    let [s, co] = SinCos.apply(x);
    await expectValues(s, c.sin);
    await expectValues(co, c.cos);
    s.mul(2).add(co.mul(co)).sum().backward();
    await expectValues(x.grad, c.grad_both);
    x.grad = null;
    [s, co] = SinCos.apply(x);
    co.sum().backward();
    await expectValues(x.grad, c.grad_cos_only);

    received.length = 0;
    x.grad = null;
    const [doubled, mask] = DoubleWithMask.apply(x);
    expect([doubled.requiresGrad, mask.requiresGrad]).toEqual([true, false]);
    await expectValues(mask, c.x.map((v: number) => (v > 0 ? 1 : 0)));
    doubled.sum().backward();
    await expectValues(received[0], [0, 0, 0, 0]);
    await expectValues(x.grad, [2, 2, 2, 2]);
  });
});
