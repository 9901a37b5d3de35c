import { formatShape, shapesEqual } from '../shape.js';
import { isGradEnabled, noGrad } from '../grad-mode.js';
import { checkOptionKeys, isOptionsObject } from '../options.js';
import { Tensor } from '../tensor.js';
import { checkResultType, copyFrom } from './inplace.js';

/**
 * PyTorch's `out=` keyword (`torch.matmul(a, b, out=y)` as `torch.matmul(a, b, { out: y })`): the result written
 * into `out`, which is returned. JavaScript passes extra arguments silently, so without this the keyword was
 * dropped and `out` never written. Descent's tensors keep their shape, so an `out` of another shape is an error
 * where PyTorch would resize it.
 */
export interface OutOption {
  out?: Tensor;
}

/** Writes `result` into `out` as PyTorch's out= variants do (same checks and messages) and returns `out`. */
export function writeOut(fn: string, result: Tensor, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new TypeError(`${fn}(): argument 'out' must be Tensor, not ${typeof out}`);
  if (isGradEnabled() && (result.requiresGrad || out.requiresGrad)) {
    throw new Error(`${fn}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.`);
  }
  checkResultType(out, result);
  if (out.device.type !== result.device.type) throw new Error(`Expected out tensor to have device ${result.device.type}, but got ${out.device.type} instead`);
  if (!shapesEqual(out.shape, result.shape)) {
    throw new RangeError(
      `${fn}(): out= has shape ${formatShape(out.shape)} but the result has shape ${formatShape(result.shape)}; ` +
        `Descent cannot resize a tensor in place: pass an out tensor of the result's shape`,
    );
  }
  noGrad(() => copyFrom(out, result));
  return out;
}

/**
 * `f` taking `out` in the options object that ends its arguments: alone (`torch.exp(x, { out })`), beside its own
 * keywords (`torch.add(a, b, { alpha: 2, out })`, `torch.cat(xs, { dim: 1, out })`) or after its positional ones
 * (`torch.cat(xs, 1, { out })`). `arity` is how many positional arguments `f` takes before an options object of its
 * own (it has none when that is all it takes): other keys there are Python's unexpected keywords. A last argument
 * that is not a plain object is passed on as before (`xs.map(torch.exp)` hands an index and the array).
 */
export function withOut<A extends unknown[]>(fn: string, f: (...args: A) => Tensor, arity: number, ownOptions = false): OutVariant<A> {
  const wrapped = (...args: unknown[]): Tensor => {
    const last = args[args.length - 1];
    if (!isOptionsObject(last) || !('out' in last)) return f(...(args as A));
    const { out, ...rest } = last;
    const head = args.slice(0, -1);
    if (!ownOptions || head.length > arity) checkOptionKeys(fn, rest, []);
    const result = Object.keys(rest).length > 0 ? f(...([...head, rest] as A)) : f(...(head as A));
    return out === undefined ? result : writeOut(fn, result, out);
  };
  Object.defineProperty(wrapped, 'name', { value: f.name });
  return wrapped as OutVariant<A>;
}

/** A function's signature, and the same with `{ out }` after its arguments. */
export interface OutVariant<A extends unknown[]> {
  (...args: A): Tensor;
  (...args: [...A, OutOption]): Tensor;
}
