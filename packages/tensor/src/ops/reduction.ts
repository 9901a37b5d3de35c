import type { ReduceOp } from '@descent/backend';
import { dispatch, type Forward } from '../dispatch.js';
import * as k from '../kernels.js';
import { normalizeDim, normalizeDims, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { scalarTensor } from './scalar.js';
import { viewOf } from './views.js';

export type Dims = number | readonly number[];

export interface ReduceOptions {
  keepdim?: boolean;
}

/** Normalized, sorted dims; `undefined` (or an empty list, as in PyTorch's sum) means every dim. */
function resolveDims(x: Tensor, dim: Dims | undefined): number[] {
  if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) return allDims(x.shape.length);
  return normalizeDims(dim, x.shape.length).sort((a, b) => a - b);
}

const ALL_DIMS: number[][] = [];

/** `[0, 1, ..., rank-1]`, shared per rank (attrs are never mutated). */
function allDims(rank: number): number[] {
  return (ALL_DIMS[rank] ??= Array.from({ length: rank }, (_, i) => i));
}

function reduceForward(op: ReduceOp): Forward {
  return ([x], { dims, keepdim }) => k.reduce(op, x, dims!, keepdim ?? false);
}

const sumForward = reduceForward('sum');
const prodForward = reduceForward('prod');
const amaxForward = reduceForward('max');
const aminForward = reduceForward('min');

const meanForward: Forward = ([x], attrs) => {
  const total = k.reduce('sum', x, attrs.dims!, attrs.keepdim ?? false);
  const count = attrs.dims!.reduce((n, d) => n * x.shape[d], 1);
  return k.binary('div', total, scalarTensor(count, 'float32', x.device), total.shape, 'float32');
};

/** Attrs record `dims` for the rule, and whether the user named a dim (SumBackward0 vs SumBackward1). */
function attrsFor(x: Tensor, dim: Dims | undefined, keepdim: boolean) {
  return { dims: resolveDims(x, dim), keepdim, variant: dim === undefined ? 0 : 1 };
}

function requireFloat(name: string, x: Tensor): void {
  if (x.dtype !== 'float32') {
    throw new TypeError(
      `${name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. ` +
        `Got: ${x.dtype === 'int32' ? 'Int' : 'Bool'}. Convert it first, e.g. x.float().${name}().`,
    );
  }
}

/** Sum over `dim` (all dims when omitted). Integer and bool inputs sum as int32. */
export function sum(x: Tensor, dim?: Dims, options: ReduceOptions = {}): Tensor {
  const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const attrs = attrsFor(input, dim, options.keepdim ?? false);
  return dispatch('sum', [input], sumForward, attrs);
}

export function mean(x: Tensor, dim?: Dims, options: ReduceOptions = {}): Tensor {
  requireFloat('mean', x);
  const attrs = attrsFor(x, dim, options.keepdim ?? false);
  return dispatch('mean', [x], meanForward, attrs);
}

export function prod(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor {
  const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const attrs = attrsFor(input, dim, options.keepdim ?? false);
  return dispatch('prod', [input], prodForward, attrs);
}

export interface VarOptions extends ReduceOptions {
  /** Bessel's correction: 1 (the default, unbiased) divides by N - 1; 0 divides by N. */
  correction?: number;
  /** PyTorch's older spelling: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
}

const varForward: Forward = ([x], { dims, keepdim, correction }) => {
  const count = dims!.reduce((n, d) => n * x.shape[d], 1);
  const f = (v: number) => scalarTensor(v, 'float32', x.device);
  const mu = k.binary('div', k.reduce('sum', x, dims!, true), f(count), k.reduce('sum', x, dims!, true).shape, 'float32');
  const centered = k.binary('sub', x, mu, x.shape, 'float32');
  const squares = k.binary('mul', centered, centered, x.shape, 'float32');
  const total = k.reduce('sum', squares, dims!, keepdim ?? false);
  return k.binary('div', total, f(Math.max(count - correction!, 0)), total.shape, 'float32');
};

const stdForward: Forward = (inputs, attrs) => k.unary('sqrt', varForward(inputs, attrs));

function varAttrs(x: Tensor, dim: Dims | undefined, options: VarOptions) {
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  return { dims: resolveDims(x, dim), keepdim: options.keepdim ?? false, correction };
}

export function variance(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  requireFloat('var', x);
  return dispatch('var', [x], varForward, varAttrs(x, dim, options));
}

export function std(x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor {
  requireFloat('std', x);
  return dispatch('std', [x], stdForward, varAttrs(x, dim, options));
}

/** What `max(dim)`/`min(dim)` return, like PyTorch's `(values, indices)` named tuple; it destructures as an array. */
export class ValuesIndices {
  constructor(
    readonly values: Tensor,
    readonly indices: Tensor,
  ) {}

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
}

function checkNonEmpty(name: string, x: Tensor, dims: number[]): void {
  if (numel(x.shape) === 0 || dims.some((d) => x.shape[d] === 0)) {
    throw new RangeError(
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
}

export function amax(x: Tensor, dim?: Dims, options: ReduceOptions = {}): Tensor {
  const dims = resolveDims(x, dim);
  checkNonEmpty('max', x, dims);
  return dispatch('amax', [x], amaxForward, { dims, keepdim: options.keepdim ?? false });
}

export function amin(x: Tensor, dim?: Dims, options: ReduceOptions = {}): Tensor {
  const dims = resolveDims(x, dim);
  checkNonEmpty('min', x, dims);
  return dispatch('amin', [x], aminForward, { dims, keepdim: options.keepdim ?? false });
}

const maxDimForward = reduceForward('max');
const minDimForward = reduceForward('min');

function extremumDim(kind: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.shape.length);
  const dims = x.shape.length === 0 ? [] : [d];
  checkNonEmpty(kind, x, dims);
  const attrs = { dims, keepdim, dim: d };
  const values = dispatch(kind === 'max' ? 'maxDim' : 'minDim', [x], kind === 'max' ? maxDimForward : minDimForward, attrs);
  const indices = k.reduce(kind === 'max' ? 'argmax' : 'argmin', x, dims, keepdim);
  return new ValuesIndices(values, indices);
}

export function maxDim(x: Tensor, dim: number, options: ReduceOptions = {}): ValuesIndices {
  return extremumDim('max', x, dim, options.keepdim ?? false);
}

export function minDim(x: Tensor, dim: number, options: ReduceOptions = {}): ValuesIndices {
  return extremumDim('min', x, dim, options.keepdim ?? false);
}

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    const flat = x.reshape(-1);
    checkNonEmpty(op, flat, [0]);
    const idx = k.reduce(op, flat, [0], false);
    return keepdim ? idx.reshape(x.shape.map(() => 1)) : idx;
  }
  const d = normalizeDim(dim, x.shape.length);
  const dims = x.shape.length === 0 ? [] : [d];
  checkNonEmpty(op, x, dims);
  return k.reduce(op, x, dims, keepdim);
}

/** Index of the largest value (first occurrence), as int32 (PyTorch returns int64). */
export function argmax(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum('argmax', x, dim, options.keepdim ?? false);
}

export function argmin(x: Tensor, dim?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum('argmin', x, dim, options.keepdim ?? false);
}

/**
 * Runs a fused backend softmax along `dim` by viewing that axis last (a permutation of strides, no copy) and
 * permuting the result back; null when the backend has no fused kernel.
 */
function fusedAlong(x: Tensor, dim: number, log: boolean): Tensor | null {
  if (!x.device.backend.softmax) return null;
  const last = x.shape.length - 1;
  if (dim === last) return k.fusedSoftmax(x, log);
  const order = x.shape.map((_, i) => i).filter((i) => i !== dim);
  order.push(dim);
  const moved = viewOf(x, order.map((d) => x.shape[d]), order.map((d) => x._strides[d]));
  const out = k.fusedSoftmax(moved, log)!;
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return viewOf(out, inverse.map((i) => out.shape[i]), inverse.map((i) => out._strides[i]));
}

const softmaxForward: Forward = ([x], { dim }) => {
  const fused = fusedAlong(x, dim!, false);
  if (fused) return fused;
  const dims = [dim!];
  const shifted = k.binary('sub', x, k.reduce('max', x, dims, true), x.shape, 'float32');
  const e = k.unary('exp', shifted);
  return k.binary('div', e, k.reduce('sum', e, dims, true), x.shape, 'float32');
};

const logSoftmaxForward: Forward = ([x], { dim }) => {
  const fused = fusedAlong(x, dim!, true);
  if (fused) return fused;
  const dims = [dim!];
  const shifted = k.binary('sub', x, k.reduce('max', x, dims, true), x.shape, 'float32');
  const logSum = k.unary('log', k.reduce('sum', k.unary('exp', shifted), dims, true));
  return k.binary('sub', shifted, logSum, x.shape, 'float32');
};

export function softmax(x: Tensor, dim: number): Tensor {
  const input = x.dtype === 'float32' ? x : cast(x, 'float32');
  if (input.shape.length === 0) return dispatch('softmax', [input], ([t]) => k.full(t.device, [], 1, 'float32'), { dim: 0 });
  return dispatch('softmax', [input], softmaxForward, { dim: normalizeDim(dim, x.shape.length) });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  const input = x.dtype === 'float32' ? x : cast(x, 'float32');
  if (input.shape.length === 0) return dispatch('logSoftmax', [input], ([t]) => k.full(t.device, [], 0, 'float32'), { dim: 0 });
  return dispatch('logSoftmax', [input], logSoftmaxForward, { dim: normalizeDim(dim, x.shape.length) });
}
