import { DTYPES, hostArray, type DType, type HostArray } from '@descent/backend';
import { cpu, device as resolveDevice, type Device, type DeviceLike } from '../device.js';
import { numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { filled, fromHost as upload } from './upload.js';

export interface CreationOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreationOptions {
  generator?: Generator;
}

/** Nested arrays of numbers or booleans, as `torch.tensor` accepts. */
export type NestedArray = number | boolean | readonly NestedArray[];

export type SizeArgs<O> = [...number[]] | [...number[], O] | [readonly number[]] | [readonly number[], O];

/** Splits `zeros(2, 3, opts)` / `zeros([2, 3], opts)` into a shape and options. */
export function parseSizeArgs<O extends object>(args: readonly unknown[]): [number[], O] {
  let options = {} as O;
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    options = last as O;
    rest = args.slice(0, -1);
  }
  const shape = (rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest) as number[];
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
    }
  }
  return [shape.slice(), options];
}

function checkDType(dtype: DType): DType {
  if (!DTYPES.includes(dtype)) {
    throw new TypeError(`Unsupported dtype '${String(dtype)}'. Descent supports ${DTYPES.join(', ')}.`);
  }
  return dtype;
}

function placed(t: Tensor, options: CreationOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function targetDevice(options: CreationOptions): Device {
  return options.device === undefined ? cpu : resolveDevice(options.device);
}

/** Uploads host data to the requested device (random numbers are always generated on the host, as on CPU). */
export function fromHost(data: HostArray, shape: readonly number[], dtype: DType, options: CreationOptions): Tensor {
  return placed(upload(targetDevice(options), data, shape, dtype), options);
}

function inferNested(data: NestedArray): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
    if (probe === undefined) break;
  }
  const flat: (number | boolean)[] = [];
  const walk = (node: NestedArray, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw new RangeError(`expected a number at depth ${depth}, got a list`);
      flat.push(node as number | boolean);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new RangeError(
        `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(node) ? node.length : 'a scalar'})`,
      );
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(data, 0);
  return { shape, flat };
}

function dtypeOfArray(data: HostArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * `torch.tensor(data)`: nested arrays, a TypedArray or a scalar. Without `dtype`: booleans give bool, all-integer
 * numbers give int32 (JavaScript cannot tell `1.0` from `1`, so pass `dtype: 'float32'` for float data written
 * as whole numbers; `requiresGrad: true` implies float32), anything else float32.
 */
export function tensor(data: NestedArray | HostArray | Float64Array, options: CreationOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const array = data instanceof Float64Array ? Float32Array.from(data) : (data as HostArray);
    const dtype = checkDType(options.dtype ?? dtypeOfArray(array));
    return fromHost(convert(array, dtype), [array.length], dtype, options);
  }
  const { shape, flat } = inferNested(data);
  let dtype = options.dtype;
  // `tensor(0.0, { requiresGrad: true })`: JS cannot see the `.0`, but only floats can require grad.
  if (dtype === undefined && options.requiresGrad) dtype = 'float32';
  if (dtype === undefined) {
    if (flat.length > 0 && flat.every((v) => typeof v === 'boolean')) dtype = 'bool';
    else if (flat.length > 0 && flat.every((v) => typeof v === 'number' && Number.isInteger(v))) dtype = 'int32';
    else dtype = 'float32';
  }
  checkDType(dtype);
  const host = hostArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`tensor(): unsupported element ${String(v)}`);
    host[i] = dtype === 'bool' ? (v ? 1 : 0) : Number(v);
  }
  return fromHost(host, shape, dtype, options);
}

function convert(data: HostArray, dtype: DType): HostArray {
  if (dtypeOfArray(data) === dtype) return data;
  const out = hostArray(dtype, data.length);
  for (let i = 0; i < data.length; i++) out[i] = dtype === 'bool' ? (data[i] ? 1 : 0) : data[i];
  return out;
}

/** A tensor over a TypedArray's values with the given shape (float32, int32 or bool from Uint8Array). */
export function fromArray(data: HostArray, shape: readonly number[], options: CreationOptions = {}): Tensor {
  if (numel(shape) !== data.length) {
    throw new RangeError(`fromArray(): shape [${shape.join(', ')}] needs ${numel(shape)} elements, got ${data.length}`);
  }
  const dtype = checkDType(options.dtype ?? dtypeOfArray(data));
  return fromHost(convert(data, dtype), shape, dtype, options);
}

export function full(shape: readonly number[], value: number | boolean, options: CreationOptions = {}): Tensor {
  const inferred = typeof value === 'boolean' ? 'bool' : Number.isInteger(value) && !options.requiresGrad ? 'int32' : 'float32';
  const dtype = checkDType(options.dtype ?? inferred);
  return placed(filled(targetDevice(options), shape, Number(value), dtype), options);
}

export function zeros(...args: SizeArgs<CreationOptions>): Tensor {
  const [shape, options] = parseSizeArgs<CreationOptions>(args);
  return full(shape, 0, { ...options, dtype: options.dtype ?? 'float32' });
}

export function ones(...args: SizeArgs<CreationOptions>): Tensor {
  const [shape, options] = parseSizeArgs<CreationOptions>(args);
  return full(shape, 1, { ...options, dtype: options.dtype ?? 'float32' });
}

/** Uninitialized in PyTorch; zero-filled here, since reading unwritten memory helps no one. */
export function empty(...args: SizeArgs<CreationOptions>): Tensor {
  return zeros(...args);
}

function likeOptions(x: Tensor, options: CreationOptions): CreationOptions {
  return { dtype: options.dtype ?? x.dtype, device: options.device ?? x.device, requiresGrad: options.requiresGrad };
}

export const zerosLike = (x: Tensor, options: CreationOptions = {}): Tensor => full(x.shape, 0, likeOptions(x, options));
export const onesLike = (x: Tensor, options: CreationOptions = {}): Tensor => full(x.shape, 1, likeOptions(x, options));
export const emptyLike = zerosLike;
export const fullLike = (x: Tensor, value: number, options: CreationOptions = {}): Tensor =>
  full(x.shape, value, likeOptions(x, options));

/**
 * `arange(end)`, `arange(start, end, step)`. All-integer arguments give int32 (PyTorch: int64), otherwise float32.
 * The length is `ceil((end - start) / step)`, computed in double precision as PyTorch does.
 */
export function arange(start: number, end?: number | CreationOptions, step?: number | CreationOptions, opts?: CreationOptions): Tensor {
  let options: CreationOptions = opts ?? {};
  if (typeof end === 'object') [options, end] = [end, undefined];
  if (typeof step === 'object') [options, step] = [step, undefined];
  let s = start;
  let e = end as number | undefined;
  if (e === undefined) [s, e] = [0, start];
  const st = (step as number | undefined) ?? 1;
  if (st === 0) throw new RangeError('step must be nonzero');
  if ((e - s) / st < 0) throw new RangeError('upper bound and larger bound inconsistent with step sign');
  const length = Math.ceil((e - s) / st);
  const dtype = options.dtype ?? ([s, e, st].every(Number.isInteger) ? 'int32' : 'float32');
  const host = hostArray(dtype, length);
  for (let i = 0; i < length; i++) host[i] = s + i * st;
  return fromHost(host, [length], dtype, options);
}

/** `steps` evenly spaced values from `start` to `end` inclusive, as float32 (PyTorch's symmetric formula). */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('number of steps must be non-negative');
  const dtype = options.dtype ?? 'float32';
  const host = hostArray(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) host[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  return fromHost(host, [steps], dtype, options);
}

export function eye(n: number, m: number | CreationOptions = n, opts: CreationOptions = {}): Tensor {
  const options = typeof m === 'object' ? m : opts;
  const cols = typeof m === 'number' ? m : n;
  const dtype = options.dtype ?? 'float32';
  const host = hostArray(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) host[i * cols + i] = 1;
  return fromHost(host, [n, cols], dtype, options);
}

function randomFloat(options: RandomOptions): DType {
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32') throw new TypeError(`random floats need dtype float32, got ${dtype}`);
  return dtype;
}

/** Standard normal samples, bit for bit PyTorch's CPU stream under the same `manualSeed`. */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = parseSizeArgs<RandomOptions>(args);
  const gen = options.generator ?? defaultGenerator;
  return fromHost(gen.normal(numel(shape), 0, 1), shape, randomFloat(options), options);
}

/** Uniform samples in [0, 1), bit for bit PyTorch's CPU stream. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = parseSizeArgs<RandomOptions>(args);
  const gen = options.generator ?? defaultGenerator;
  return fromHost(gen.uniform(numel(shape), 0, 1), shape, randomFloat(options), options);
}

/** `randint(high, shape)` or `randint(low, high, shape)`: integers in [low, high), as int32 (PyTorch: int64). */
export function randint(low: number, high: number | readonly number[], shape?: readonly number[] | RandomOptions, opts?: RandomOptions): Tensor {
  let lo = low;
  let hi: number;
  let size: readonly number[];
  let options: RandomOptions;
  if (Array.isArray(high)) {
    [lo, hi, size, options] = [0, low, high, (shape as RandomOptions | undefined) ?? {}];
  } else {
    [hi, size, options] = [high as number, shape as readonly number[], opts ?? {}];
  }
  if (!(hi > lo)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${lo} >= to=${hi}`);
  const gen = options.generator ?? defaultGenerator;
  const values = gen.randint(numel(size), lo, hi);
  const dtype = options.dtype ?? 'int32';
  return fromHost(dtype === 'int32' ? values : convert(Float32Array.from(values), dtype), size, dtype, options);
}

/** A random permutation of 0..n-1, as int32, matching PyTorch's CPU `randperm`. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be non-negative, got ${n}`);
  const gen = options.generator ?? defaultGenerator;
  const values = gen.randperm(n);
  const dtype = options.dtype ?? 'int32';
  return fromHost(dtype === 'int32' ? values : convert(Float32Array.from(values), dtype), [n], dtype, options);
}

export const randLike = (x: Tensor, options: RandomOptions = {}): Tensor => rand(x.shape, likeOptions(x, options));
export const randnLike = (x: Tensor, options: RandomOptions = {}): Tensor => randn(x.shape, likeOptions(x, options));
