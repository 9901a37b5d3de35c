import type { NumberHostArray, ReduceOp } from '@descent/backend';

/** Reduces consecutive blocks of `blockSize` elements of `data` (from `offset`) into `out[block]`. */
export function reduceBlocks(op: ReduceOp, data: NumberHostArray, offset: number, blockSize: number, out: NumberHostArray): void {
  const blocks = out.length;
  if (data instanceof Float32Array && (op === 'max' || op === 'argmax')) {
    // Pooling windows and class scores: many short blocks, where a call per block would cost more than the block.
    return op === 'max' ? maxBlocksF32(data, offset, blockSize, out) : argmaxBlocksF32(data, offset, blockSize, out);
  }
  const reducer = REDUCERS[op];
  for (let o = 0; o < blocks; o++) {
    const start = offset + o * blockSize;
    const end = start + blockSize;
    out[o] = reducer(data, start, end);
  }
}

type Reducer = (data: NumberHostArray, start: number, end: number) => number;

// Sums accumulate in double precision, then round once to the output dtype.
const REDUCERS: Record<ReduceOp, Reducer> = {
  sum(data, start, end) {
    let acc = 0;
    for (let i = start; i < end; i++) acc += data[i];
    return acc;
  },
  prod(data, start, end) {
    // int32 products wrap at every step; a double product would lose the low bits past 2^53 first.
    if (data instanceof Int32Array) {
      let wrapped = 1;
      for (let i = start; i < end; i++) wrapped = Math.imul(wrapped, data[i]);
      return wrapped;
    }
    let acc = 1;
    for (let i = start; i < end; i++) acc *= data[i];
    return acc;
  },
  max(data, start, end) {
    let best = -Infinity;
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v !== v) return v; // NaN propagates, as in PyTorch
      if (v > best) best = v;
    }
    return best;
  },
  min(data, start, end) {
    let best = Infinity;
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v !== v) return v;
      if (v < best) best = v;
    }
    return best;
  },
  argmax(data, start, end) {
    let best = -Infinity;
    let at = 0;
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v !== v) return i - start;
      if (i === start || v > best) {
        best = v;
        at = i - start;
      }
    }
    return at;
  },
  argmin(data, start, end) {
    let best = Infinity;
    let at = 0;
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v !== v) return i - start;
      if (i === start || v < best) {
        best = v;
        at = i - start;
      }
    }
    return at;
  },
};

/** REDUCERS.max over float32 blocks, inlined (the same values: NaN propagates, else the largest). */
function maxBlocksF32(data: Float32Array, offset: number, blockSize: number, out: NumberHostArray): void {
  for (let o = 0, start = offset; o < out.length; o++, start += blockSize) {
    let best = -Infinity;
    for (let i = start; i < start + blockSize; i++) {
      const v = data[i];
      if (v > best || v !== v) {
        best = v;
        if (v !== v) break;
      }
    }
    out[o] = best;
  }
}

/** REDUCERS.argmax over float32 blocks, inlined (the first NaN, else the first largest). */
function argmaxBlocksF32(data: Float32Array, offset: number, blockSize: number, out: NumberHostArray): void {
  for (let o = 0, start = offset; o < out.length; o++, start += blockSize) {
    let best = data[start];
    let at = 0;
    if (best === best) {
      for (let i = 1; i < blockSize; i++) {
        const v = data[start + i];
        if (v > best || v !== v) {
          best = v;
          at = i;
          if (v !== v) break;
        }
      }
    }
    out[o] = at;
  }
}
