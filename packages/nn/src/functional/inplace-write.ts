import { isGradEnabled, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { InplaceOption } from './activation.js';

/**
 * `fn(input)` written back into `input`, for the `inplace=True` forms of activations composed from several tensor
 * ops. While a graph is being recorded, `fn` runs on a clone: its inner nodes then save the clone rather than
 * `input`, whose values the write replaces (the tensor layer's in-place ops guard only their own node's saved
 * input). The result is `input` itself, with the history of the write, as in PyTorch.
 */
export function writeInPlace(input: Tensor, fn: (x: Tensor) => Tensor): Tensor {
  const recording = isGradEnabled() && input.requiresGrad;
  return input.copy_(fn(recording ? input.clone() : input));
}

/**
 * `fn(input)`, written into `input` when `inplace`. The write's node then prints `inplaceName`, the node of
 * PyTorch's in-place kernel (`EluBackward1`), where Descent records a copy.
 */
export function maybeInPlace(input: Tensor, inplace: boolean, fn: (x: Tensor) => Tensor, inplaceName?: string): Tensor {
  if (!inplace) return fn(input);
  const out = writeInPlace(input, fn);
  const node = out.gradFn;
  if (inplaceName !== undefined && node !== null && node.op === 'copy') node.displayName = inplaceName;
  return out;
}

/** A trailing `inplace` argument, by position or in the options object, after `required` arguments. */
export function inplaceOf(fn: string, required: number, args: readonly unknown[]): boolean {
  return bindArgs<InplaceOption>({ fn, required, positional: ['inplace'] }, args).inplace ?? false;
}
