import { contiguousStrides, hostArray, numelOf, type HostArray, type NumberHostArray, type Operand } from '@descent/backend';
import { contiguousAny } from './strided.js';
import { HI, LO, readWords, TWO32, wordsOf } from './words.js';

function checkIndex(i: number, dim: number, size: number): void {
  if (i < 0 || i >= size || !Number.isInteger(i)) {
    throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/** An int64 or int32 index operand's values, row-major, as numbers (int64 values past 2^53 only approximately: they are out of bounds anyway). */
function indexValues(index: Operand<HostArray>): ArrayLike<number> {
  const data = contiguousAny(index);
  if (!(data instanceof BigInt64Array)) return data;
  const w = wordsOf(data);
  const out = new Float64Array(data.length);
  for (let i = 0; i < out.length; i++) out[i] = readWords(w, i);
  return out;
}

/** `out[..., j, ...] = x[..., index[..., j, ...], ...]` along `dim`; the output has the index's shape. */
export function gather(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray {
  const shape = index.view.shape;
  const numel = numelOf(shape);
  const idx = indexValues(index);
  const out = hostArray(x.dtype, numel);
  const outStrides = contiguousStrides(shape);
  const xs = x.view.strides;
  const size = x.view.shape[dim];
  const src = x.buffer instanceof BigInt64Array ? wordsOf(x.buffer) : x.buffer;
  const dst = out instanceof BigInt64Array ? wordsOf(out) : out;
  const words = src !== x.buffer;
  for (let o = 0; o < numel; o++) {
    let rem = o;
    let p = x.view.offset;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(rem / outStrides[d]);
      rem -= c * outStrides[d];
      if (d === dim) {
        checkIndex(idx[o], dim, size);
        p += idx[o] * xs[d];
      } else p += c * xs[d];
    }
    if (words) {
      dst[2 * o] = src[2 * p];
      dst[2 * o + 1] = src[2 * p + 1];
    } else dst[o] = src[p];
  }
  return out;
}

/**
 * Zeros of `shape`, then `out[..., index[..., j, ...], ...] += src[..., j, ...]` along `dim`, in index order and in
 * `src`'s dtype: float32 rounds each add, integers wrap around (int64 on words, with a carry), bool adds as or.
 */
export function scatterAdd(
  shape: readonly number[],
  dim: number,
  index: Operand<HostArray>,
  src: Operand<HostArray>,
): HostArray {
  const out = hostArray(src.dtype, numelOf(shape));
  const outStrides = contiguousStrides(shape);
  const idxShape = index.view.shape;
  const idxStrides = contiguousStrides(idxShape);
  const idx = indexValues(index);
  const values = contiguousAny(src);
  const add = adder(out, values, src.dtype === 'bool');
  for (let o = 0; o < idx.length; o++) {
    let rem = o;
    let p = 0;
    for (let d = 0; d < idxShape.length; d++) {
      const c = Math.floor(rem / idxStrides[d]);
      rem -= c * idxStrides[d];
      if (d === dim) {
        checkIndex(idx[o], dim, shape[d]);
        p += idx[o] * outStrides[d];
      } else p += c * outStrides[d];
    }
    add(p, o);
  }
  return out;
}

/** `out[p] += values[o]` for the dtype of `out` and `values` (the same one). */
function adder(out: HostArray, values: HostArray, bool: boolean): (p: number, o: number) => void {
  if (out instanceof BigInt64Array && values instanceof BigInt64Array) {
    const w = wordsOf(out);
    const v = wordsOf(values);
    return (p, o) => {
      const lo = (w[2 * p + LO] >>> 0) + (v[2 * o + LO] >>> 0);
      w[2 * p + LO] = lo;
      w[2 * p + HI] = (w[2 * p + HI] + v[2 * o + HI] + (lo >= TWO32 ? 1 : 0)) | 0;
    };
  }
  const o32 = out as NumberHostArray;
  const v32 = values as NumberHostArray;
  if (bool) return (p, o) => void (o32[p] |= v32[o]);
  return (p, o) => void (o32[p] += v32[o]);
}
