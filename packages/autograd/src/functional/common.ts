// The plumbing torch/autograd/functional.py shares between vjp, jvp, jacobian, hessian, vhp and hvp: tuples of
// tensors in and out, inputs re-made as fresh leaves, grads of the outputs that require grad (None elsewhere),
// missing gradients filled with zeros, and results detached unless a graph is asked for.
import { Tensor, zerosLike } from '@descent/tensor';
import { grad } from '../backward.js';

/** A function of one or several tensors, returning one tensor or several (Python's tuple is an array). */
export type TensorFunction = (...inputs: Tensor[]) => Tensor | Tensor[];

/** The keyword arguments the functional API shares. */
export interface FunctionalOptions {
  createGraph?: boolean;
  /** PyTorch's `strict`: raise where an output is independent of an input. Not supported: only `false`. */
  strict?: boolean;
}

/** `_as_tuple`: whether the argument was a tuple, and its tensors. */
export function asTuple(value: Tensor | readonly Tensor[], argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(value);
  const tensors = isTuple ? [...(value as readonly Tensor[])] : [value as Tensor];
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${typeof t}.`);
    }
  });
  return [isTuple, tensors];
}

/** `_tuple_postprocess` for one level: a lone tensor when the argument was not a tuple. */
export function untuple<T>(values: T[], isTuple: boolean): T | T[] {
  return isTuple ? values : values[0];
}

/** `_grad_preprocess`: fresh tensors to differentiate against, keeping the caller's graph only under createGraph. */
export function gradPreprocess(inputs: Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((inp) => (createGraph && inp.requiresGrad ? inp.view(inp.shape) : inp.detach().requiresGrad_(needGraph)));
}

/** `_grad_postprocess`: detached results unless the caller wants to differentiate them again. */
export function gradPostprocess(values: Tensor[], createGraph: boolean): Tensor[] {
  return createGraph ? values : values.map((v) => v.detach());
}

/** `_autograd_grad`: `autograd.grad` over the outputs that require grad; nulls when none does. */
export function autogradGrad(outputs: (Tensor | null)[], inputs: Tensor[], gradOutputs: (Tensor | null)[] | null, createGraph: boolean): (Tensor | null)[] {
  const keep = outputs.map((o, i) => [o, gradOutputs?.[i] ?? null] as const).filter(([o]) => o !== null && o.requiresGrad);
  if (keep.length === 0) return inputs.map(() => null);
  return grad(
    keep.map(([o]) => o as Tensor),
    inputs,
    { gradOutputs: keep.map(([, g]) => g), createGraph, retainGraph: true, allowUnused: true },
  );
}

/** `_fill_in_zeros` (non-strict): a zero gradient where an input was not used. */
export function fillInZeros(grads: (Tensor | null)[], refs: Tensor[]): Tensor[] {
  return grads.map((g, i) => g ?? zerosLike(refs[i]));
}

/** `_validate_v`: one `v` per tensor, each of its tensor's shape (PyTorch's RuntimeErrors). */
export function validateV(v: Tensor[], other: Tensor[], isOtherTuple: boolean): void {
  if (v.length !== other.length) {
    throw new Error(isOtherTuple ? `v is a tuple of invalid length: should be ${other.length} but got ${v.length}.` : 'The given v should contain a single Tensor.');
  }
  const size = (s: readonly number[]) => `torch.Size([${s.join(', ')}])`;
  v.forEach((vi, i) => {
    if (vi.shape.join() !== other[i].shape.join()) {
      const prefix = isOtherTuple ? `Entry ${i} in ` : '';
      throw new Error(`${prefix}v has invalid size: should be ${size(other[i].shape)} but got ${size(vi.shape)}.`);
    }
  });
}

/** Only `strict: false`, PyTorch's default, is implemented. */
export function checkStrict(fnName: string, options: FunctionalOptions): void {
  if (options.strict) throw new Error(`${fnName}(strict=True) is not supported by Descent: leave strict false`);
}
