import { normalizeDim } from '../shape.js';
import { dimOnly, keywordArgs, type DimOr } from '../options.js';
import { bindArgs } from '../call-args.js';
import type { Tensor } from '../tensor.js';
import { arange, tensor } from './creation.js';
import { cat, indexSelect } from './indexing.js';
import { narrow, reshape } from './views.js';
import { presentAs } from './present-as.js';

/** `x.chunk(chunks, dim)`: views of ceil(size / chunks) along `dim`, the last smaller; possibly fewer than `chunks`. */
export function chunk(x: Tensor, chunks: number, dimOr: DimOr<number> = 0): Tensor[] {
  const dim = dimOnly('chunk', dimOr, 0);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  const step = Math.max(1, Math.ceil(size / chunks));
  return split(x, step, d);
}

/**
 * `x.split(splitSize, dim)`: views of `splitSize` along `dim` (the last smaller), or of the given sizes, which must
 * add up to the dim's size.
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dimOr: DimOr<number> = 0): Tensor[] {
  const dim = dimOnly('split', dimOr, 0);
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  if (typeof splitSizeOrSections === 'number') {
    const step = splitSizeOrSections;
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`split expects split_size be non-negative, but got split_size=${step}`);
    if (step === 0) {
      if (size !== 0) throw new RangeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
      return [x];
    }
    const parts: Tensor[] = [];
    for (let start = 0; start < size || (size === 0 && parts.length === 0); start += step) parts.push(narrow(x, d, start, Math.min(step, size - start)));
    // PyTorch makes all the parts with one split node; each part's own slice node prints its name.
    return parts.map((part) => presentAs(part, 'SplitBackward0', [x]));
  }
  const total = splitSizeOrSections.reduce((a, b) => a + b, 0);
  if (total !== size || splitSizeOrSections.some((s) => s < 0)) {
    throw new RangeError(
      `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=[${splitSizeOrSections.join(', ')}]`,
    );
  }
  let start = 0;
  return splitSizeOrSections.map((length) => {
    const part = narrow(x, d, start, length);
    start += length;
    return presentAs(part, 'SplitWithSizesBackward0', [x]);
  });
}

/** `x.repeat(...sizes)`: tiles `x` (`sizes` may add leading dims), as `torch.Tensor.repeat`. */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw new RangeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const shape = [...new Array<number>(sizes.length - x.ndim).fill(1), ...x.shape];
  // [a, b] repeated (r, s): viewed [1, a, 1, b], expanded [r, a, s, b], copied to [r * a, s * b].
  const interleaved = shape.flatMap((s) => [1, s]);
  const expanded = shape.flatMap((s, i) => [sizes[i], s]);
  return presentAs(reshape(reshape(x, interleaved).expand(expanded), shape.map((s, i) => s * sizes[i])), 'RepeatBackward0', [x]);
}

/** `torch.repeat_interleave`'s arguments after the input, by keyword. */
export interface RepeatInterleaveOptions {
  repeats?: number | Tensor;
  dim?: number | null;
  /** The total length of the result, as PyTorch checks it against the repeats. */
  outputSize?: number | null;
}

const REPEAT_INTERLEAVE = { fn: 'repeat_interleave', required: 0, positional: ['repeats', 'dim'], keywordOnly: ['outputSize'] };

/**
 * `x.repeatInterleave(repeats, dim)`: each element (or slice along `dim`) repeated; no `dim` flattens first. The
 * arguments by position or keyword (`torch.repeat_interleave(x, repeats=2, dim=0)` is
 * `torch.repeatInterleave(x, { repeats: 2, dim: 0 })`); with no repeats, `x` is the repeats of `arange(len(x))`.
 */
export function repeatInterleave(
  x: Tensor,
  ...args: [repeats?: number | Tensor, dim?: number | null | RepeatInterleaveOptions, options?: RepeatInterleaveOptions] | [RepeatInterleaveOptions]
): Tensor {
  const { repeats, dim = null, outputSize = null } = bindArgs<RepeatInterleaveOptions>(REPEAT_INTERLEAVE, args);
  // `torch.repeat_interleave(repeats)`: each index repeated by its entry.
  if (repeats === undefined) return repeatInterleave(arange(x.numel(), { dtype: 'int64', device: x.device }), x, 0, { outputSize });
  const input = dim === null ? reshape(x, [-1]) : x;
  const d = dim === null ? 0 : normalizeDim(dim, x.ndim);
  const size = input.shape[d];
  let counts = typeof repeats === 'number' ? [repeats] : Array.from(repeats.dataSync(), Number);
  if (counts.length === 1) counts = new Array<number>(size).fill(counts[0]);
  if (counts.length !== size) {
    throw new RangeError(`repeats must have the same size as input along dim, but got repeats.size(0) = ${counts.length} and input.size(${d}) = ${size}`);
  }
  if (counts.some((c) => c < 0)) throw new RangeError('repeats can not be negative');
  const index = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  if (outputSize !== null && outputSize !== index.length) throw new RangeError('allocated size does not match required size');
  return presentAs(indexSelect(input, d, tensor(index, { dtype: 'int64', device: input.device })), 'IndexSelectBackward0', [x]);
}

/** `x.flip(dims)`: the order of elements reversed along each of `dims`. */
export function flip(x: Tensor, dimsOr: readonly number[] | { dims: readonly number[] }): Tensor {
  const dims = (keywordArgs('flip', dimsOr, ['dims'])?.dims ?? dimsOr) as readonly number[];
  let out = x;
  const seen = new Set<number>();
  for (const dim of dims) {
    const d = normalizeDim(dim, x.ndim);
    if (seen.has(d)) throw new RangeError(`dims has duplicates, original flip dims size=${dims.length}, but unique flip dims size=${seen.size}`);
    seen.add(d);
    const n = x.shape[d];
    out = indexSelect(out, d, arange(n - 1, -1, -1, { dtype: 'int64', device: x.device }));
  }
  return presentAs(out, 'FlipBackward0', [x]);
}

/** `x.roll(shifts, dims)`: elements shifted along each dim, wrapping around; no dims rolls the flattened tensor. */
export function roll(x: Tensor, shifts: number | readonly number[], dimsOr?: number | readonly number[] | { dims?: number | readonly number[] }): Tensor {
  const keywords = keywordArgs('roll', dimsOr, ['dims']);
  const dims = (keywords === null ? dimsOr : keywords.dims) as number | readonly number[] | undefined;
  const shiftList = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (dims === undefined) {
    if (shiftList.length !== 1) throw new RangeError(`shifts and dimensions must align. shifts: ${shiftList.length}, dims:0`);
    return presentAs(reshape(roll(reshape(x, [-1]), shiftList[0], 0), x.shape), 'RollBackward0', [x]);
  }
  const dimList = typeof dims === 'number' ? [dims] : [...dims];
  if (dimList.length !== shiftList.length) {
    throw new RangeError(`shifts and dimensions must align. shifts: ${shiftList.length}, dims:${dimList.length}`);
  }
  let out = x;
  dimList.forEach((dim, i) => {
    const d = normalizeDim(dim, x.ndim);
    const n = x.shape[d];
    if (n === 0) return;
    const s = ((shiftList[i] % n) + n) % n;
    if (s !== 0) out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return presentAs(out, 'RollBackward0', [x]);
}


/** `torch.flipud(x)`: the rows (dim 0) in reverse order. */
export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new RangeError('Input must be >= 1-d.');
  return flip(x, [0]);
}

/** `torch.fliplr(x)`: the columns (dim 1) in reverse order. */
export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new RangeError('Input must be >= 2-d.');
  return flip(x, [1]);
}

/**
 * `x.unfold(dimension, size, step)`: the windows of `size` elements every `step` along `dimension`, as a new last
 * dim. A gather here, not a view (PyTorch's shares storage); its gradient sums where windows overlap, as PyTorch's.
 */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = normalizeDim(dimension, x.ndim);
  const length = x.ndim === 0 ? 1 : x.shape[d];
  if (size > length) throw new RangeError(`maximum size for tensor at dimension ${d} is ${length} but size is ${size}`);
  if (!(step > 0)) throw new RangeError(`step is ${step} but must be > 0`);
  if (x.ndim === 0) return presentAs(x.reshape([1]), 'UnfoldBackward0', [x]);
  const windows = Math.floor((length - size) / step) + 1;
  const index = Array.from({ length: windows * size }, (_, k) => Math.floor(k / size) * step + (k % size));
  const picked = indexSelect(x, d, tensor(index, { dtype: 'int64', device: x.device }));
  const shape = [...x.shape.slice(0, d), windows, size, ...x.shape.slice(d + 1)];
  return presentAs(reshape(picked, shape).movedim(d + 1, -1), 'UnfoldBackward0', [x]);
}
