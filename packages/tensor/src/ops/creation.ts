import { checkOptionKeys } from '../options.js';
import { DTYPES, hostArray, type DType, type HostArray } from '@descent/backend';
import { cpu, device as resolveDevice, type Device, type DeviceLike } from '../device.js';
import { numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { filled, fromHost as upload } from './upload.js';
import { defaultFloatDType, promoteTypes } from '../dtype.js';
import { checkedElement, fitsInt64 } from './convert.js';

export interface CreationOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreationOptions {
  generator?: Generator;
}

/** Nested arrays of numbers, bigints, booleans or one-element tensors, as `torch.tensor` accepts. */
export type NestedArray = number | boolean | bigint | Tensor | readonly NestedArray[];

export type SizeArgs<O> = [...number[]] | [...number[], O] | [readonly number[]] | [readonly number[], O] | [O & { size: readonly number[] | number }];

/** Splits `zeros(2, 3, opts)` / `zeros([2, 3], opts)` into a shape and options. */
const CREATION_KEYS = ['dtype', 'device', 'requiresGrad'];
const RANDOM_KEYS = [...CREATION_KEYS, 'generator'];

/** Python's error for a keyword the creation function does not take (`torch.zeros(2, dtyp=...)`). */
function checkCreationOptions(fn: string, options: object, random = false): void {
  checkOptionKeys(fn, options, random ? RANDOM_KEYS : CREATION_KEYS);
}

export function parseSizeArgs<O extends object>(args: readonly unknown[]): [number[], O] {
  let options = {} as O;
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    options = last as O;
    rest = args.slice(0, -1);
  }
  // `torch.zeros(size=(2, 3))` written `torch.zeros({ size: [2, 3] })`.
  if (rest.length === 0 && 'size' in options) {
    const { size, ...others } = options as O & { size: readonly number[] | number };
    rest = typeof size === 'number' ? [size] : [size];
    options = others as O;
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

function inferNested(data: NestedArray): { shape: number[]; flat: (number | boolean | bigint | Tensor)[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
    if (probe === undefined) break;
  }
  const flat: (number | boolean | bigint | Tensor)[] = [];
  const walk = (node: NestedArray, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw new RangeError(`expected a number at depth ${depth}, got a list`);
      flat.push(node as number | boolean | bigint | Tensor);
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

/**
 * Tensor elements (`torch.tensor([loss, 2])`) read as their one value, as PyTorch does. Their dtypes promote with
 * the dtype inferred from the plain values (PyTorch promotes each element's type in turn).
 */
function scalarsOf(nested: readonly (number | boolean | bigint | Tensor)[], options: CreationOptions): { flat: (number | boolean | bigint)[]; dtype: DType } {
  const plain = nested.filter((v): v is number | boolean | bigint => !(v instanceof Tensor));
  if (plain.length === nested.length) return { flat: plain, dtype: inferDType(plain, options) };
  const dtypes: DType[] = [];
  const flat = nested.map((v) => {
    if (!(v instanceof Tensor)) return v;
    if (v.numel() !== 1) throw new RangeError('only one element tensors can be converted to Python scalars');
    dtypes.push(v.dtype);
    return v.item();
  });
  const own = dtypes.reduce(promoteTypes);
  const dtype = options.requiresGrad ? defaultFloatDType() : plain.length === 0 ? own : promoteTypes(inferDType(plain, options), own);
  return { flat, dtype };
}

/** The dtype of each TypedArray kind; other kinds (Uint16Array, Uint32Array, BigUint64Array) have none. */
function dtypeOfArray(data: ArrayBufferView): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  throw new TypeError(
    `Descent has no dtype for a ${data.constructor.name}: use Float32Array, Float64Array, BigInt64Array, Int32Array, ` +
      'Int16Array, Int8Array or Uint8Array (or convert the values, e.g. Int32Array.from(data)).',
  );
}

/** The TypedArray a backend takes for `data`: a Uint8ClampedArray is read as the Uint8Array over its bytes. */
function hostView(data: ArrayBufferView): HostArray {
  if (data instanceof Uint8ClampedArray) return new Uint8Array(data.buffer, data.byteOffset, data.length);
  return data as HostArray;
}

/** PyTorch's inference from Python values: bools give bool, whole numbers and bigints int64, anything else float32. */
function inferDType(flat: readonly (number | boolean | bigint)[], options: CreationOptions): DType {
  // `tensor(0.0, { requiresGrad: true })`: JS cannot see the `.0`, but only floats can require grad.
  if (options.requiresGrad) return defaultFloatDType();
  if (flat.length === 0) return defaultFloatDType();
  if (flat.every((v) => typeof v === 'boolean')) return 'bool';
  if (flat.every((v) => typeof v === 'bigint' || (typeof v === 'number' && fitsInt64(v)))) return 'int64';
  return defaultFloatDType();
}

/**
 * `torch.tensor(data)`: nested arrays, a TypedArray or a scalar; the values are always copied. Without `dtype`:
 * booleans give bool, whole numbers and bigints give int64 (PyTorch's default integer dtype; JavaScript cannot tell
 * `1.0` from `1`, so pass `dtype: 'float32'` for float data written as whole numbers; `requiresGrad: true` implies
 * float32), anything else float32; a TypedArray keeps its own dtype (Uint8Array is uint8). A value the dtype cannot
 * hold raises PyTorch's overflow error.
 */
export function tensor(data: NestedArray | ArrayBufferView, options: CreationOptions = {}): Tensor {
  checkCreationOptions('tensor', options);
  if (ArrayBuffer.isView(data)) {
    const own = dtypeOfArray(data);
    const dtype = checkDType(options.dtype ?? own);
    const array = hostView(data);
    return fromHost(convert(array, own, dtype), [array.length], dtype, options);
  }
  // `torch.tensor(t)` copies the tensor, shape and all, detached (PyTorch also suggests `t.clone().detach()`).
  if (data instanceof Tensor) return placed(data.detach().to(options.dtype ?? data.dtype).to(options.device ?? data.device).clone(), options);
  const { shape, flat: nested } = inferNested(data);
  const { flat, dtype: inferred } = scalarsOf(nested, options);
  const dtype = checkDType(options.dtype ?? inferred);
  const host = hostArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') throw new TypeError(`tensor(): unsupported element ${String(v)}`);
    host[i] = checkedElement(v, dtype) as never;
  }
  return fromHost(host, shape, dtype, options);
}

/** `data` (of dtype `from`) as a host array of `dtype`, checking every value fits; the same array when they agree. */
function convert(data: HostArray, from: DType, dtype: DType): HostArray {
  if (from === dtype) return data;
  const out = hostArray(dtype, data.length);
  for (let i = 0; i < data.length; i++) out[i] = checkedElement(data[i], dtype) as never;
  return out;
}

/** A tensor over a copy of a TypedArray's values with the given shape (its own dtype, or `dtype` converted). */
export function fromArray(data: ArrayBufferView, shape: readonly number[], options: CreationOptions = {}): Tensor {
  const array = hostView(data);
  if (numel(shape) !== array.length) {
    throw new RangeError(`fromArray(): shape [${shape.join(', ')}] needs ${numel(shape)} elements, got ${array.length}`);
  }
  const own = dtypeOfArray(data);
  const dtype = checkDType(options.dtype ?? own);
  return fromHost(convert(array, own, dtype), shape, dtype, options);
}

/** `torch.full`: a whole-number fill value gives int64 and a bool gives bool, as in PyTorch. */
export function full(shape: readonly number[], value: number | boolean, options: CreationOptions = {}): Tensor {
  checkCreationOptions('full', options);
  const inferred = typeof value === 'boolean' ? 'bool' : fitsInt64(value) && !options.requiresGrad ? 'int64' : defaultFloatDType();
  const dtype = checkDType(options.dtype ?? inferred);
  checkedElement(value, dtype);
  return placed(filled(targetDevice(options), shape, Number(value), dtype), options);
}

export function zeros(...args: SizeArgs<CreationOptions>): Tensor {
  const [shape, options] = parseSizeArgs<CreationOptions>(args);
  checkCreationOptions('zeros', options);
  return full(shape, 0, { ...options, dtype: options.dtype ?? defaultFloatDType() });
}

export function ones(...args: SizeArgs<CreationOptions>): Tensor {
  const [shape, options] = parseSizeArgs<CreationOptions>(args);
  checkCreationOptions('ones', options);
  return full(shape, 1, { ...options, dtype: options.dtype ?? defaultFloatDType() });
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
 * `arange(end)`, `arange(start, end, step)`. All-integer arguments give int64, otherwise float32, as in PyTorch.
 * The length is `ceil((end - start) / step)`, computed in double precision as PyTorch does.
 */
/** `torch.arange`'s start, end and step, which PyTorch also takes as keywords (`torch.arange(0, 10, step=2)`). */
export interface ArangeOptions extends CreationOptions {
  start?: number;
  end?: number;
  step?: number;
}

export function arange(
  start: number | ArangeOptions,
  end?: number | ArangeOptions,
  step?: number | ArangeOptions,
  opts?: ArangeOptions,
): Tensor {
  // Positional numbers up to the first options object, as Python's arange(end) / arange(start, end[, step]).
  const args = [start, end, step];
  const at = args.findIndex((a) => typeof a === 'object');
  const positional = (at < 0 ? args : args.slice(0, at)).filter((a): a is number => a !== undefined);
  const options: ArangeOptions = at < 0 ? (opts ?? {}) : (args[at] as ArangeOptions);
  checkOptionKeys('arange', options, [...CREATION_KEYS, 'start', 'end', 'step']);
  let s: number;
  let e: number | undefined;
  if (positional.length === 1 && options.end === undefined) [s, e] = [options.start ?? 0, positional[0]];
  else [s, e] = [positional[0] ?? options.start ?? 0, positional[1] ?? options.end];
  if (e === undefined) throw new TypeError("arange() missing 1 required positional argument: 'end'");
  const st = positional[2] ?? options.step ?? 1;
  if (st === 0) throw new RangeError('step must be nonzero');
  if ((e - s) / st < 0) throw new RangeError('upper bound and larger bound inconsistent with step sign');
  const length = Math.ceil((e - s) / st);
  const dtype = options.dtype ?? ([s, e, st].every(Number.isInteger) ? 'int64' : defaultFloatDType());
  const host = hostArray(dtype, length);
  for (let i = 0; i < length; i++) host[i] = checkedElement(s + i * st, dtype) as never;
  return fromHost(host, [length], dtype, { device: options.device, requiresGrad: options.requiresGrad });
}

/** `steps` evenly spaced values from `start` to `end` inclusive, in the default float dtype (PyTorch's symmetric formula). */
export function linspace(start: number, end: number, stepsOr: number | (CreationOptions & { steps?: number }), given: CreationOptions = {}): Tensor {
  // `torch.linspace(0, 1, steps=5)` written `torch.linspace(0, 1, { steps: 5 })`.
  const keywords = typeof stepsOr === 'object';
  if (keywords) checkOptionKeys('linspace', stepsOr, [...CREATION_KEYS, 'steps']);
  const steps = keywords ? stepsOr.steps : stepsOr;
  if (steps === undefined) throw new TypeError("linspace() missing 1 required positional argument: 'steps'");
  const options: CreationOptions = keywords ? { dtype: stepsOr.dtype, device: stepsOr.device, requiresGrad: stepsOr.requiresGrad } : given;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('number of steps must be non-negative');
  const dtype = options.dtype ?? defaultFloatDType();
  const host = hostArray(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) host[i] = checkedElement(i < half ? start + step * i : end - step * (steps - i - 1), dtype) as never;
  return fromHost(host, [steps], dtype, options);
}

export function eye(n: number, m: number | CreationOptions = n, opts: CreationOptions = {}): Tensor {
  const options = typeof m === 'object' ? m : opts;
  const cols = typeof m === 'number' ? m : n;
  const dtype = options.dtype ?? defaultFloatDType();
  const host = hostArray(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) host[i * cols + i] = checkedElement(1, dtype) as never;
  return fromHost(host, [n, cols], dtype, options);
}

function randomFloat(options: RandomOptions): 'float32' | 'float64' {
  const dtype = options.dtype ?? defaultFloatDType();
  if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`random floats need dtype float32 or float64, got ${dtype}`);
  return dtype;
}

/** Standard normal samples, bit for bit PyTorch's CPU stream under the same `manualSeed`. */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = parseSizeArgs<RandomOptions>(args);
  checkCreationOptions('randn', options, true);
  const gen = options.generator ?? defaultGenerator;
  const dtype = randomFloat(options);
  const values = dtype === 'float64' ? gen.normal64(numel(shape), 0, 1) : gen.normal(numel(shape), 0, 1);
  return fromHost(values, shape, dtype, options);
}

/** Uniform samples in [0, 1), bit for bit PyTorch's CPU stream. */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, options] = parseSizeArgs<RandomOptions>(args);
  checkCreationOptions('rand', options, true);
  const gen = options.generator ?? defaultGenerator;
  const dtype = randomFloat(options);
  const values = dtype === 'float64' ? gen.uniform64(numel(shape), 0, 1) : gen.uniform(numel(shape), 0, 1);
  return fromHost(values, shape, dtype, options);
}

/** `randint(high, shape)` or `randint(low, high, shape)`: integers in [low, high), as int64 (PyTorch's stream). */
export function randint(low: number, high: number | readonly number[], shape?: readonly number[] | (RandomOptions & { size?: readonly number[] }), opts?: RandomOptions): Tensor {
  let lo = low;
  let hi: number;
  let size: readonly number[];
  let options: RandomOptions;
  if (Array.isArray(high)) {
    [lo, hi, size, options] = [0, low, high, (shape as RandomOptions | undefined) ?? {}];
  } else if (shape !== undefined && !Array.isArray(shape)) {
    // `torch.randint(0, 5, size=(3,))` written `torch.randint(0, 5, { size: [3] })`.
    const { size: keywordSize, ...rest } = shape as RandomOptions & { size?: readonly number[] };
    if (keywordSize === undefined) throw new TypeError("randint() missing 1 required positional argument: 'size'");
    [hi, size, options] = [high as number, keywordSize, rest];
  } else {
    [hi, size, options] = [high as number, shape as readonly number[], opts ?? {}];
  }
  checkCreationOptions('randint', options, true);
  if (!(hi > lo)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${lo} >= to=${hi}`);
  const gen = options.generator ?? defaultGenerator;
  const values = gen.randint(numel(size), lo, hi);
  const dtype = options.dtype ?? 'int64';
  return fromHost(convert(values, 'int32', dtype), size, dtype, options);
}

/** A random permutation of 0..n-1, as int64, matching PyTorch's CPU `randperm`. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkCreationOptions('randperm', options, true);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be non-negative, got ${n}`);
  const gen = options.generator ?? defaultGenerator;
  const values = gen.randperm(n);
  const dtype = options.dtype ?? 'int64';
  return fromHost(convert(values, 'int32', dtype), [n], dtype, options);
}

export const randLike = (x: Tensor, options: RandomOptions = {}): Tensor => rand(x.shape, likeOptions(x, options));
export const randnLike = (x: Tensor, options: RandomOptions = {}): Tensor => randn(x.shape, likeOptions(x, options));
