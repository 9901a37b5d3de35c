// torch.autograd.Function as a user meets it: PyTorch's tutorial polynomial_custom_function.py translated line by
// line, and the Cube example, against PyTorch 1.13 (fixtures/autograd-function.json, written by
// fixtures/gen_autograd_function.py). webgpu-autograd-function.test.ts runs the same on a GPU.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

const fx = loadFixture('autograd-function', new URL('./fixtures/', import.meta.url)).cases;

/**
 * We can implement our own custom autograd Functions by subclassing torch.autograd.Function and implementing the
 * forward and backward passes which operate on Tensors.
 */
class LegendrePolynomial3 extends torch.autograd.Function {
  /**
   * In the forward pass we receive a Tensor containing the input and return a Tensor containing the output. ctx is a
   * context object that can be used to stash information for backward computation. You can cache arbitrary objects
   * for use in the backward pass using the ctx.saveForBackward method.
   */
  static forward(ctx: torch.autograd.FunctionCtx, input: torch.Tensor): torch.Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }

  /**
   * In the backward pass we receive a Tensor containing the gradient of the loss with respect to the output, and we
   * need to compute the gradient of the loss with respect to the input.
   */
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

const close = (actual: ArrayLike<number>, expected: number[], digits = 5) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
};

describe('torch.autograd.Function: the tutorial polynomial_custom_function.py', () => {
  it(`fits sin(x) with a + b * P3(c + d * x) as PyTorch does (${fx.tutorial.iterations} iterations)`, () => {
    const printed: string[] = [];
    const losses: number[] = [];
    const print = (...values: unknown[]) => printed.push(values.join(' '));

    const dtype = 'float32';
    const device = torch.device('cpu');
    // const device = torch.device('webgpu');  // Uncomment this to run on GPU (and read values with itemAsync)

    // Create Tensors to hold input and outputs.
    // By default, requiresGrad is false, which indicates that we do not need to
    // compute gradients with respect to these Tensors during the backward pass.
    const x = torch.linspace(-Math.PI, Math.PI, 2000, { device, dtype });
    const y = torch.sin(x);

    // Create random Tensors for weights. For this example, we need
    // 4 weights: y = a + b * P3(c + d * x), these weights need to be initialized
    // not too far from the correct result to ensure convergence.
    // Setting requiresGrad: true indicates that we want to compute gradients with
    // respect to these Tensors during the backward pass.
    const a = torch.full([], 0.0, { device, dtype, requiresGrad: true });
    const b = torch.full([], -1.0, { device, dtype, requiresGrad: true });
    const c = torch.full([], 0.0, { device, dtype, requiresGrad: true });
    const d = torch.full([], 0.3, { device, dtype, requiresGrad: true });

    const learningRate = 5e-6;
    for (let t = 0; t < fx.tutorial.iterations; t++) {
      // To apply our Function, we use Function.apply method. We alias this as 'P3'.
      const P3 = (input: torch.Tensor) => LegendrePolynomial3.apply(input);

      // Forward pass: compute predicted y using operations; we compute
      // P3 using our custom autograd operation.
      const yPred = a.add(b.mul(P3(c.add(d.mul(x)))));

      // Compute and print loss
      const loss = yPred.sub(y).pow(2).sum();
      losses.push(loss.item());
      if (t % 100 === 99) print(t, loss.item());

      // Use autograd to compute the backward pass.
      loss.backward();

      // Update weights using gradient descent
      torch.noGrad(() => {
        a.sub_(a.grad!.mul(learningRate));
        b.sub_(b.grad!.mul(learningRate));
        c.sub_(c.grad!.mul(learningRate));
        d.sub_(d.grad!.mul(learningRate));

        // Manually zero the gradients after running the backward pass
        a.grad = null;
        b.grad = null;
        c.grad = null;
        d.grad = null;
      });
    }

    print(`Result: y = ${a.item()} + ${b.item()} * P3(${c.item()} + ${d.item()} x)`);

    // PyTorch's numbers: every loss to float32 summation order (2000 terms), the coefficients likewise.
    const expected = fx.tutorial;
    losses.forEach((loss, t) => expect(Math.abs(loss - expected.losses[t])).toBeLessThan(1e-5 * expected.losses[t]));
    expect(printed).toHaveLength(expected.printed.length);
    printed.slice(0, -1).forEach((line, i) => {
      const [step, loss] = line.split(' ').map(Number);
      const [pyStep, pyLoss] = expected.printed[i].split(' ').map(Number);
      expect(step).toBe(pyStep);
      expect(Math.abs(loss - pyLoss)).toBeLessThan(1e-5 * pyLoss);
    });
    expect(printed.at(-1)).toMatch(/^Result: y = \S+ \+ \S+ \* P3\(\S+ \+ \S+ x\)$/);
    // a and c stay at zero up to rounding (the problem is symmetric); b and d move.
    expect(Math.abs(a.item() - expected.result.a)).toBeLessThan(1e-6);
    expect(Math.abs(c.item() - expected.result.c)).toBeLessThan(1e-6);
    expect(b.item()).toBeCloseTo(expected.result.b, 6);
    expect(d.item()).toBeCloseTo(expected.result.d, 6);
  });
});

describe('torch.autograd.Function from @descent/torch', () => {
  it('Cube: prints as <CubeBackward>; its backward, written with tensor ops, differentiates again', () => {
    const c = fx.cube;
    const x = torch.tensor(c.x, { requiresGrad: true });
    const y = Cube.apply(x);
    expect(String(y)).toBe(c.repr);
    expect(y.gradFn?.name()).toBe(c.grad_fn);
    const [g] = torch.autograd.grad(y.sum(), x, { createGraph: true });
    close(g!.dataSync() as Float32Array, c.grad);
    const [gg] = torch.autograd.grad(g!.sum(), x);
    close(gg!.dataSync() as Float32Array, c.grad2);
  });

  it('two outputs: both gradients reach backward, zeros for an output that got none', () => {
    const c = fx.sin_cos;
    const x = torch.tensor(c.x, { requiresGrad: true });
    let [s, co] = SinCos.apply(x);
    close(s.dataSync() as Float32Array, c.sin);
    close(co.dataSync() as Float32Array, c.cos);
    s.mul(2).add(co.mul(co)).sum().backward();
    close(x.grad!.dataSync() as Float32Array, c.grad_both);
    x.grad = null;
    [s, co] = SinCos.apply(x);
    co.sum().backward();
    close(x.grad!.dataSync() as Float32Array, c.grad_cos_only);
  });
});
