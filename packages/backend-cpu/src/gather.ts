import { contiguousStrides, hostArray, numelOf, type HostArray, type Operand } from '@descent/backend';
import { contiguousData } from './strided.js';

function checkIndex(i: number, dim: number, size: number): void {
  if (i < 0 || i >= size || !Number.isInteger(i)) {
    throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/** `out[..., j, ...] = x[..., index[..., j, ...], ...]` along `dim`; the output has the index's shape. */
export function gather(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray {
  const shape = index.view.shape;
  const numel = numelOf(shape);
  const idx = contiguousData(index);
  const out = hostArray(x.dtype, numel);
  const outStrides = contiguousStrides(shape);
  const xs = x.view.strides;
  const size = x.view.shape[dim];
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
    out[o] = x.buffer[p];
  }
  return out;
}

/** Zeros of `shape`, then `out[..., index[..., j, ...], ...] += src[..., j, ...]` along `dim`. */
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
  const idx = contiguousData(index);
  const values = contiguousData(src);
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
    out[p] += values[o];
  }
  return out;
}
