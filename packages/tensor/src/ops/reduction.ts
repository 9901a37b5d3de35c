import { checkOptionKeys, dimOnly, splitDim, type DimOr } from '../options.js';
import { supportedDTypes, type ReduceOp } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { NamedReduction, Reduction, VarianceParams } from '../op-params.js';
import { normalizeDim, normalizeDims, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { scalarTensor } from './scalar.js';
import { viewOf } from './views.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

export type Dims = number | readonly number[];

export interface ReduceOptions {
  keepdim?: boolean;
  /** NumPy's spelling of `keepdim`, which PyTorch's native functions take too. */
  keepdims?: boolean;
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

type ReductionBody = OpBody<'sum' | 'prod' | 'amax' | 'amin' | 'maxDim' | 'minDim' | 'argmax' | 'argmin', Tensor>;

function reduceBody(op: ReduceOp): ReductionBody {
  return ([x], { dims, keepdim }) => k.reduce(op, x, dims, keepdim);
}

const sumBody = reduceBody('sum');
const prodBody = reduceBody('prod');
const maxBody = reduceBody('max');
const minBody = reduceBody('min');
const argmaxBody = reduceBody('argmax');
const argminBody = reduceBody('argmin');

function reducedCount(x: Tensor, dims: readonly number[]): number {
  let count = 1;
  for (const d of dims) count *= x.shape[d];
  return count;
}

const meanBody: OpBody<'mean', Tensor> = ([x], { dims, keepdim }) => {
  const total = k.reduce('sum', x, dims, keepdim);
  return k.binary('div', total, scalarTensor(reducedCount(x, dims), total.dtype, x.device), total.shape, total.dtype);
};

/** The dims for the rule, and whether the user named a dim (SumBackward0 vs SumBackward1). */
function namedReduction(x: Tensor, dim: Dims | undefined, keepdim: boolean): NamedReduction {
  return { dims: resolveDims(x, dim), keepdim, dimGiven: dim !== undefined };
}

function requireFloat(name: string, x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `${name}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. ` +
        `Got: ${scalarTypeName(x.dtype)}. Convert it first, e.g. x.float().${name}().`,
    );
  }
}

/** Sum over `dim` (all dims when omitted). Integer and bool inputs sum as int32. */
/** The options a reduction takes (`keepdims` arrives as `keepdim`): PyTorch raises for any other keyword, and so does Descent. */
const REDUCE_KEYS = ['keepdim'];
const VAR_KEYS = ['keepdim', 'correction', 'unbiased'];

export function sum(x: Tensor, dimOr?: DimOr<Dims, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('sum', dimOr, given, 'keepdim');
  checkOptionKeys('sum', options, REDUCE_KEYS);
  const input = x;
  return run('sum', [input], namedReduction(input, dim, options.keepdim ?? false), sumBody);
}

export function mean(x: Tensor, dimOr?: DimOr<Dims, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('mean', dimOr, given, 'keepdim');
  checkOptionKeys('mean', options, REDUCE_KEYS);
  requireFloat('mean', x);
  return run('mean', [x], namedReduction(x, dim, options.keepdim ?? false), meanBody);
}

export function prod(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('prod', dimOr, given, 'keepdim');
  checkOptionKeys('prod', options, REDUCE_KEYS);
  const input = x;
  return run('prod', [input], namedReduction(input, dim, options.keepdim ?? false), prodBody);
}

export interface VarOptions extends ReduceOptions {
  /** Bessel's correction: 1 (the default, unbiased) divides by N - 1; 0 divides by N. */
  correction?: number;
  /** PyTorch's older spelling: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
}

/** Two passes, one reduction each: the mean, then the sum of squared deviations from it. */
function varianceOf(x: Tensor, { dims, keepdim, correction }: VarianceParams): Tensor {
  const count = reducedCount(x, dims);
  const centered = x.sub(x.sum(dims, { keepdim: true }).div(count));
  return centered.mul(centered).sum(dims, { keepdim }).div(Math.max(count - correction, 0));
}

/**
 * PyTorch's CPU var/std of float32 accumulate in double (`std_var_all_cpu` for one output: the float32 mean, then
 * the squared deviations summed in double; Welford in double over dims) and round once at the end, sqrt included.
 * Where the device stores float64 so does this; elsewhere (WebGPU) the two passes stay in float32.
 */
function varianceOrStd(x: Tensor, params: VarianceParams, root: boolean): Tensor {
  if (x.dtype !== 'float32' || !supportedDTypes(x.device.backend).includes('float64')) {
    const v = varianceOf(x, params);
    return root ? v.sqrt() : v;
  }
  const { dims, keepdim, correction } = params;
  const count = reducedCount(x, dims);
  const wide = cast(x, 'float64');
  const mean = count === x.numel() ? cast(x.mean(dims, { keepdim: true }), 'float64') : wide.mean(dims, { keepdim: true });
  const centered = wide.sub(mean);
  const v = centered.mul(centered).sum(dims, { keepdim }).div(Math.max(count - correction, 0));
  return cast(root ? v.sqrt() : v, 'float32');
}

const varBody: OpBody<'var', Tensor> = ([x], params) => varianceOrStd(x, params, false);
const stdBody: OpBody<'std', Tensor> = ([x], params) => varianceOrStd(x, params, true);

function varianceParams(x: Tensor, dim: Dims | undefined, options: VarOptions): VarianceParams {
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  return { dims: resolveDims(x, dim), keepdim: options.keepdim ?? false, correction };
}

/** `(dim, unbiased, keepdim, options)`: the booleans by position, the rest by keyword. */
function varArgs(fn: string, dimOr: DimOr<Dims, VarOptions> | undefined, given: VarOptions | boolean | undefined, keepdim: boolean | VarOptions | undefined): [Dims | undefined, VarOptions] {
  if (typeof given !== 'boolean' || keepdim === undefined) return splitDim(fn, dimOr, given, 'unbiased');
  const options: VarOptions = typeof keepdim === 'boolean' ? { unbiased: given, keepdim } : { ...keepdim, unbiased: given };
  return splitDim<Dims, VarOptions>(fn, dimOr, options);
}

/** `var(dim, unbiased, keepdim)` positionally, as PyTorch 1.13, or with keywords in an options object. */
export function variance(x: Tensor, dimOr?: DimOr<Dims, VarOptions>, given?: VarOptions | boolean, keepdim?: boolean | VarOptions): Tensor {
  const [dim, options] = varArgs('var', dimOr, given, keepdim);
  checkOptionKeys('var', options, VAR_KEYS);
  requireFloat('var', x);
  return run('var', [x], varianceParams(x, dim, options), varBody);
}

export function std(x: Tensor, dimOr?: DimOr<Dims, VarOptions>, given?: VarOptions | boolean, keepdim?: boolean | VarOptions): Tensor {
  const [dim, options] = varArgs('std', dimOr, given, keepdim);
  checkOptionKeys('std', options, VAR_KEYS);
  requireFloat('std', x);
  return run('std', [x], varianceParams(x, dim, options), stdBody);
}

/**
 * What `max(dim)`, `topk`, `sort`, ... return, like PyTorch's `(values, indices)` named tuple; it destructures as an
 * array. `op` names its type, `torch.return_types.<op>`, which its printing shows.
 */
export class ValuesIndices {
  constructor(
    readonly values: Tensor,
    readonly indices: Tensor,
    readonly op: string,
  ) {}

  /** As PyTorch prints the named tuple: `torch.return_types.max(\nvalues=tensor(...),\nindices=tensor(...))`. */
  toString(): string {
    return returnTypeRepr(this.op, { values: this.values, indices: this.indices });
  }

  [INSPECT](): string {
    return this.toString();
  }

  /** `x.max(1)[0]` as in Python, where the named tuple indexes too. */
  get 0(): Tensor {
    return this.values;
  }

  get 1(): Tensor {
    return this.indices;
  }

  get length(): 2 {
    return 2;
  }

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

export function amax(x: Tensor, dimOr?: DimOr<Dims, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('amax', dimOr, given, 'keepdim');
  checkOptionKeys('amax', options, REDUCE_KEYS);
  const dims = resolveDims(x, dim);
  checkNonEmpty('max', x, dims);
  return run('amax', [x], { dims, keepdim: options.keepdim ?? false }, maxBody);
}

export function amin(x: Tensor, dimOr?: DimOr<Dims, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('amin', dimOr, given, 'keepdim');
  checkOptionKeys('amin', options, REDUCE_KEYS);
  const dims = resolveDims(x, dim);
  checkNonEmpty('min', x, dims);
  return run('amin', [x], { dims, keepdim: options.keepdim ?? false }, minBody);
}

function extremumDim(kind: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.shape.length);
  const dims = x.shape.length === 0 ? [] : [d];
  checkNonEmpty(kind, x, dims);
  const params: Reduction = { dims, keepdim };
  const values = run(kind === 'max' ? 'maxDim' : 'minDim', [x], params, kind === 'max' ? maxBody : minBody);
  const indices = run(kind === 'max' ? 'argmax' : 'argmin', [x], params, kind === 'max' ? argmaxBody : argminBody);
  return new ValuesIndices(values, indices, kind);
}

export function maxDim(x: Tensor, dim: number, options: ReduceOptions = {}): ValuesIndices {
  checkOptionKeys('max', options, REDUCE_KEYS);
  return extremumDim('max', x, dim, options.keepdim ?? false);
}

export function minDim(x: Tensor, dim: number, options: ReduceOptions = {}): ValuesIndices {
  checkOptionKeys('min', options, REDUCE_KEYS);
  return extremumDim('min', x, dim, options.keepdim ?? false);
}

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const body = op === 'argmax' ? argmaxBody : argminBody;
  if (dim === undefined) {
    const flat = x.reshape(-1);
    checkNonEmpty(op, flat, [0]);
    const idx = run(op, [flat], { dims: [0], keepdim: false }, body);
    return keepdim ? idx.reshape(x.shape.map(() => 1)) : idx;
  }
  const d = normalizeDim(dim, x.shape.length);
  const dims = x.shape.length === 0 ? [] : [d];
  checkNonEmpty(op, x, dims);
  return run(op, [x], { dims, keepdim }, body);
}

/** Index of the largest value (first occurrence), as int32 (PyTorch returns int64). */
export function argmax(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('argmax', dimOr, given, 'keepdim');
  checkOptionKeys('argmax', options, REDUCE_KEYS);
  return argExtremum('argmax', x, dim, options.keepdim ?? false);
}

export function argmin(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('argmin', dimOr, given, 'keepdim');
  checkOptionKeys('argmin', options, REDUCE_KEYS);
  return argExtremum('argmin', x, dim, options.keepdim ?? false);
}

/**
 * Runs the backend's fused softmax along `dim` by viewing that axis last (a permutation of strides, no copy) and
 * permuting the result back.
 */
function fusedAlong(x: Tensor, dim: number, log: boolean): Tensor {
  const last = x.shape.length - 1;
  if (dim === last) return k.fusedSoftmax(x, log);
  const order = x.shape.map((_, i) => i).filter((i) => i !== dim);
  order.push(dim);
  const moved = viewOf(x, order.map((d) => x.shape[d]), order.map((d) => x._strides[d]));
  const out = k.fusedSoftmax(moved, log);
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return viewOf(out, inverse.map((i) => out.shape[i]), inverse.map((i) => out._strides[i]));
}

/** exp(x - max) / sum, max-shifted as PyTorch does so large logits do not overflow. */
const softmaxBody: OpBody<'softmax', Tensor> = ([x], { dim }, device) => {
  if (x.shape.length === 0) return k.full(device, [], 1, 'float32');
  if (device.supports('softmax')) return fusedAlong(x, dim, false);
  const e = x.sub(x.amax(dim, { keepdim: true })).exp();
  return e.div(e.sum(dim, { keepdim: true }));
};

/** (x - max) - log(sum(exp(x - max))). */
const logSoftmaxBody: OpBody<'logSoftmax', Tensor> = ([x], { dim }, device) => {
  if (x.shape.length === 0) return k.full(device, [], 0, 'float32');
  if (device.supports('softmax')) return fusedAlong(x, dim, true);
  const shifted = x.sub(x.amax(dim, { keepdim: true }));
  return shifted.sub(shifted.exp().sum(dim, { keepdim: true }).log());
};

export function softmax(x: Tensor, dimOr: DimOr<number>): Tensor {
  const dim = dimOnly('softmax', dimOr, 'required');
  const input = isFloating(x.dtype) ? x : cast(x, 'float32');
  return run('softmax', [input], { dim: input.shape.length === 0 ? 0 : normalizeDim(dim, x.shape.length) }, softmaxBody);
}

export function logSoftmax(x: Tensor, dimOr: DimOr<number>): Tensor {
  const dim = dimOnly('log_softmax', dimOr, 'required');
  const input = isFloating(x.dtype) ? x : cast(x, 'float32');
  return run('logSoftmax', [input], { dim: input.shape.length === 0 ? 0 : normalizeDim(dim, x.shape.length) }, logSoftmaxBody);
}
