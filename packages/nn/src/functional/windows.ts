import { cat, full, gather, keep, tensor, type Device, type Tensor } from '@descent/tensor';

/**
 * Sliding windows over the spatial dims of a `[N, C, ...spatial]` input, the one lowering that convolution
 * (im2col), pooling and adaptive pooling share: a table says which input element each (channel, kernel offset,
 * output position) reads, and one `gather` along the flattened input makes the `[N, C * K, L]` columns (K kernel
 * offsets, L output positions). Positions outside the input read one extra element holding `padValue` (0 for
 * convolution and average pooling, -inf for max pooling). The gather's gradient is a scatter-add, so every op
 * built on it is differentiable with no rule of its own, and it runs on any backend.
 */

/** Per spatial dim: where kernel offset `k` of output position `o` reads, or -1 for padding. */
export type WindowPosition = (o: number, k: number) => number;

export interface WindowDim {
  readonly input: number;
  readonly output: number;
  readonly kernel: number;
  readonly position: WindowPosition;
}

/** A sliding (strided, dilated, padded) window along one dim, as convolution and pooling take it. */
export function slidingDim(input: number, output: number, kernel: number, stride: number, dilation: number, padBefore: number): WindowDim {
  return {
    input,
    output,
    kernel,
    position: (o, k) => {
      const p = o * stride + k * dilation - padBefore;
      return p >= 0 && p < input ? p : -1;
    },
  };
}

/** Adaptive pooling's windows: output `o` covers [floor(o * in / out), ceil((o + 1) * in / out)). */
export function adaptiveDim(input: number, output: number): WindowDim {
  const start = (o: number) => Math.floor((o * input) / output);
  const end = (o: number) => Math.ceil(((o + 1) * input) / output);
  let kernel = 0;
  for (let o = 0; o < output; o++) kernel = Math.max(kernel, end(o) - start(o));
  return {
    input,
    output,
    kernel,
    position: (o, k) => (start(o) + k < end(o) ? start(o) + k : -1),
  };
}

/**
 * How a channel's K * L reads are laid out: kernel offset major (`[K, L]`, im2col's columns, what a convolution
 * multiplies) or window major (`[L, K]`, each window's K reads side by side, what pooling reduces).
 */
export type WindowOrder = 'kernelMajor' | 'windowMajor';

export class WindowTable {
  /** Input elements per channel, kernel offsets per window, output positions. */
  readonly spatial: number;
  readonly kernel: number;
  readonly positions: number;
  /** `[K * L]` in the table's order: the flat spatial index each (kernel offset, output position) reads, or -1 for padding. */
  readonly spatialIndex: Int32Array;
  /** Whether some window reads outside the input (and so the padding element). */
  readonly padded: boolean;
  /** The indices per device, int64 (what gather and scatter take) and int32 (what the fused kernels read unconverted). */
  private readonly onDevice = { int64: new Map<Device, Tensor>(), int32: new Map<Device, Tensor>() };
  private readonly readersOnDevice = new Map<Device, Tensor>();

  constructor(
    readonly channels: number,
    dims: readonly WindowDim[],
    readonly order: WindowOrder,
  ) {
    this.spatial = dims.reduce((n, d) => n * d.input, 1);
    this.kernel = dims.reduce((n, d) => n * d.kernel, 1);
    this.positions = dims.reduce((n, d) => n * d.output, 1);
    this.spatialIndex = new Int32Array(this.kernel * this.positions);
    const rank = dims.length;
    const k = new Array<number>(rank).fill(0);
    const o = new Array<number>(rank).fill(0);
    for (let ki = 0; ki < this.kernel; ki++) {
      for (let oi = 0; oi < this.positions; oi++) {
        let flat = 0;
        for (let d = 0; d < rank; d++) {
          const p = dims[d].position(o[d], k[d]);
          if (p < 0) {
            flat = -1;
            break;
          }
          flat = flat * dims[d].input + p;
        }
        this.spatialIndex[order === 'kernelMajor' ? ki * this.positions + oi : oi * this.kernel + ki] = flat;
        next(o, dims, 'output');
      }
      next(k, dims, 'kernel');
    }
    this.padded = this.spatialIndex.includes(-1);
  }

  /**
   * `[M, R]` int64, M the padded input's elements (`indexOn`'s range): for each element, the positions in
   * `indexOn`'s reads that read it, ascending, padded to R with one past the last position. The padding element
   * lists none (its gradient is dropped). With it a backend without a fused col2im gathers the input gradient
   * (`unfoldMatmul`'s `readers`) instead of a scatter-add, which a GPU runs over every read for every element.
   */
  readers(device: Device): Tensor {
    let readers = this.readersOnDevice.get(device);
    if (readers === undefined) {
      const { channels, spatial } = this;
      const perChannel = this.spatialIndex.length;
      const elements = channels * spatial + (this.padded ? 1 : 0);
      const counts = new Int32Array(elements);
      for (const s of this.spatialIndex) if (s >= 0) counts[s]++;
      // Every channel reads its plane through the same table, so one plane's counts hold for all.
      let r = 1;
      for (let s = 0; s < spatial; s++) r = Math.max(r, counts[s]);
      const values = new Int32Array(elements * r).fill(channels * perChannel);
      const filled = new Int32Array(elements);
      for (let c = 0; c < channels; c++) {
        for (let i = 0; i < perChannel; i++) {
          const s = this.spatialIndex[i];
          if (s < 0) continue;
          const m = c * spatial + s;
          values[m * r + filled[m]++] = c * perChannel + i;
        }
      }
      readers = keep(tensor(values, { dtype: 'int64', device }).reshape([elements, r])); // cached: no scope may dispose it
      this.readersOnDevice.set(device, readers);
    }
    return readers;
  }

  /**
   * `[1, C * K * L]` indices into a `[N, C * S + 1]` input whose last element is the padding value: int64 by default;
   * int32 for the fused kernels (`unfoldMatmul`, `windowArgmax`), which otherwise narrow int64 at every call.
   */
  indexOn(device: Device, dtype: 'int64' | 'int32' = 'int64'): Tensor {
    let index = this.onDevice[dtype].get(device);
    if (index === undefined) {
      const { channels, spatial } = this;
      const perChannel = this.spatialIndex.length;
      const values = new Int32Array(channels * perChannel);
      for (let c = 0; c < channels; c++) {
        for (let i = 0; i < perChannel; i++) {
          const s = this.spatialIndex[i];
          values[c * perChannel + i] = s < 0 ? channels * spatial : c * spatial + s;
        }
      }
      index = keep(tensor(values, { dtype, device }).reshape([1, values.length])); // cached: no scope may dispose it
      this.onDevice[dtype].set(device, index);
    }
    return index;
  }
}

/** Odometer step over a multi-index (last dim fastest). */
function next(index: number[], dims: readonly WindowDim[], size: 'output' | 'kernel'): void {
  for (let d = index.length - 1; d >= 0; d--) {
    if (++index[d] < dims[d][size]) return;
    index[d] = 0;
  }
}

/** Tables are cheap to use and costly to build: the last few geometries are kept (a network has a handful). */
const CACHE_SIZE = 64;
const cache = new Map<string, WindowTable>();

export function windowTable(kind: string, order: WindowOrder, channels: number, dims: readonly WindowDim[], geometry: readonly unknown[]): WindowTable {
  const key = `${kind}|${order}|${channels}|${JSON.stringify(geometry)}`;
  let table = cache.get(key);
  if (table === undefined) {
    table = new WindowTable(channels, dims, order);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, table);
  } else {
    // Most recently used last, so eviction drops the oldest.
    cache.delete(key);
    cache.set(key, table);
  }
  return table;
}

/**
 * `[N, C, ...spatial]` input as `[N, C * S]` rows, with one more element holding `padValue` where a window reads
 * outside the input (the table's `padded`): what the table's indices point into.
 */
export function windowSource(input: Tensor, table: WindowTable, padValue: number): Tensor {
  const n = input.shape[0];
  const flat = input.reshape([n, table.channels * table.spatial]);
  // The padding element is appended only where a window reads it: an unpadded convolution reads the input as is.
  return table.padded ? cat([flat, full([n, 1], padValue, { dtype: input.dtype, device: input.device })], 1) : flat;
}

/**
 * `[N, C, ...spatial]` input to its windows' reads, `[N, C, K, L]` or `[N, C, L, K]` by the table's order
 * (im2col), reading `padValue` outside the input.
 */
export function windowColumns(input: Tensor, table: WindowTable, padValue: number): Tensor {
  const n = input.shape[0];
  const { channels, kernel, positions } = table;
  const index = table.indexOn(input.device).expand([n, channels * kernel * positions]);
  const reads = gather(windowSource(input, table, padValue), 1, index);
  return reads.view(table.order === 'kernelMajor' ? [n, channels, kernel, positions] : [n, channels, positions, kernel]);
}
