import type { Tensor } from '../tensor.js';
import { applyCustomFunction, type CustomFunction } from './custom-function.js';

// An op computed on the host (a decomposition LAPACK would run) with its gradient written in tensor ops: a custom
// Function node named as PyTorch's (`LinalgEighBackward0`), whose backward sees the forward's outputs, so that
// gradients of gradients differentiate the formula.

export interface HostOp {
  /** PyTorch's grad_fn name. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** The outputs, computed from the inputs' values (grad mode is off). */
  forward(): Tensor[];
  /** Outputs that get no gradient (integer ranks, signs). */
  readonly nonDifferentiable?: readonly number[];
  /** One gradient per input from the outputs' gradients (zeros for an output that received none). */
  backward(grads: readonly Tensor[], outputs: readonly Tensor[]): (Tensor | null)[];
}

/** The host message for an op that reads values synchronously. */
export function requireHost(name: string, t: Tensor): void {
  if (!t.device.supports('readSync')) {
    throw new Error(`${name}: computed on the host, and '${t.device}' tensors are read asynchronously: move the input to the CPU first (await x.toAsync('cpu'))`);
  }
}

export function runHostOp(op: HostOp): Tensor[] {
  let outputs: Tensor[] = [];
  let saved: readonly Tensor[] = [];
  const fn: CustomFunction = {
    name: op.name,
    forward: () => (outputs = op.forward()),
    dirty: () => new Set(),
    nonDifferentiable: () => new Set((op.nonDifferentiable ?? []).map((i) => outputs[i])),
    backward: (grads) => op.backward(grads as Tensor[], saved),
    recorded: (recorded) => (saved = recorded as Tensor[]),
    release: () => (saved = []),
  };
  return applyCustomFunction(fn, op.inputs) as Tensor[];
}
