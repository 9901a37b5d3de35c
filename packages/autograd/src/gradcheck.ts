import { enableGrad, fromArray, noGrad, Tensor } from '@descent/tensor';
import { grad } from './backward.js';

export interface GradcheckOptions {
  /** Finite-difference step. Descent computes in float32, so steps are larger than PyTorch's float64 default. */
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** A fixed pseudo-random upstream gradient, so the check covers every output element without touching the RNG. */
function upstream(shape: readonly number[], seed = 12345): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = 0.5 + (state / 2 ** 32);
  }
  return fromArray(data, shape);
}

function weightedSum(out: Tensor, v: Float32Array): number {
  // gradcheck differentiates floating outputs: read them as doubles.
  const data = out.to('float64').dataSync() as Float64Array;
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i] * v[i];
  return total;
}

/**
 * Checks each element of each analytic gradient against the central difference of `evaluate` (a scalar function of
 * the inputs with `input` replaced by `perturbed`), throwing an error headed `what` at the first element that disagrees.
 */
function compareWithFiniteDifferences(
  inputs: readonly Tensor[],
  differentiable: readonly Tensor[],
  analytic: readonly (Tensor | null)[],
  { eps, atol, rtol }: Required<GradcheckOptions>,
  what: string,
  evaluate: (input: Tensor, perturbed: Tensor) => number,
): void {
  differentiable.forEach((input, which) => {
    const base = Float32Array.from(input.to('float32').dataSync() as Float32Array);
    const gradient = analytic[which];
    const got = gradient ? (gradient.to('float64').dataSync() as Float64Array) : new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number) => {
        const data = base.slice();
        data[j] += delta;
        return evaluate(input, fromArray(data, input.shape));
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      if (!(Math.abs(got[j] - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `${what} for input ${inputs.indexOf(input)}, element ${j}: autograd gives ${got[j]}, finite differences give ${numeric}`,
        );
      }
    }
  });
}

/**
 * Compares the gradients autograd computes for `fn` with central finite differences, input by input and element
 * by element. Returns true, or throws naming the first element that disagrees.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 1e-2;
  const rtol = options.rtol ?? 1e-2;
  const out = fn(...inputs);
  const v = upstream(out.shape);
  const vData = v.dataSync() as Float32Array;
  const differentiable = inputs.filter((t) => t.requiresGrad);
  const analytic = grad([out.mul(v).sum()], differentiable, { allowUnused: true });
  compareWithFiniteDifferences(inputs, differentiable, analytic, { eps, atol, rtol }, 'Jacobian mismatch', (input, perturbed) =>
    noGrad(() => weightedSum(fn(...inputs.map((t) => (t === input ? perturbed : t))), vData)),
  );
  return true;
}

/**
 * Second derivatives, as PyTorch's gradgradcheck: the gradient of `sum_i <d(fn · v)/dx_i, u_i>` (first gradients
 * taken with `createGraph`) against central finite differences of that scalar. A first gradient with no history is
 * constant, so its derivative must be zero.
 */
export function gradgradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 2e-2;
  const rtol = options.rtol ?? 2e-2;
  const v = upstream(fn(...inputs).shape);
  const differentiable = inputs.filter((t) => t.requiresGrad);
  const u = differentiable.map((t, i) => upstream(t.shape, 777 + i));
  const firstOrder = (xs: Tensor[]): Tensor | null => {
    const out = fn(...xs);
    const wrt = xs.filter((x) => x.requiresGrad);
    const grads = grad([out.mul(v).sum()], wrt, { createGraph: true, allowUnused: true });
    let total: Tensor | null = null;
    grads.forEach((g, i) => {
      if (g) total = total === null ? g.mul(u[i]).sum() : total.add(g.mul(u[i]).sum());
    });
    return total;
  };
  const f = enableGrad(() => firstOrder(inputs));
  const analytic = f !== null && f.requiresGrad ? grad([f], differentiable, { allowUnused: true }) : differentiable.map(() => null);
  compareWithFiniteDifferences(inputs, differentiable, analytic, { eps, atol, rtol }, 'Second-order mismatch', (input, perturbed) => {
    const value = enableGrad(() => firstOrder(inputs.map((t) => (t === input ? perturbed.requiresGrad_(true) : t))));
    return value === null ? 0 : value.item();
  });
  return true;
}
