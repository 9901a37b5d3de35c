import type { HostArray, Operand } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { gather, scatterAdd } from '../src/gather.js';
import { gatherRows, scatterAddRows } from '../src/gather-rows.js';
import { getNumThreads, setNumThreads } from '../src/index.js';
import { WASM_GATHER_MIN } from '../src/wasm/wasm-gather.js';
import { windowArgmax } from '../src/window-argmax.js';

function operand(buffer: HostArray, shape: number[], strides: number[], offset = 0): Operand<HostArray> {
  const dtype = buffer instanceof Float32Array ? 'float32' : buffer instanceof BigInt64Array ? 'int64' : 'int32';
  return { buffer, dtype, view: { shape, strides, offset } } as Operand<HostArray>;
}

/** A deterministic pseudo-random stream, so a failure reproduces. */
function stream(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

/** The reference winners: per row and window, the entry at the first largest element, NaN largest. */
function referenceWinners(x: Float32Array, rowStride: number, rows: number, idx: Int32Array, shared: boolean, perRow: number, window: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const base = shared ? 0 : r * perRow;
    for (let w = 0; w < perRow / window; w++) {
      let at = idx[base + w * window];
      for (let j = 1; j < window; j++) {
        const e = idx[base + w * window + j];
        const v = x[r * rowStride + e];
        const best = x[r * rowStride + at];
        if (best === best && (v > best || v !== v)) at = e;
      }
      out.push(at);
    }
  }
  return out;
}

const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

describe('the Wasm gather, scatter-add and window argmax (im2col, col2im, pooling) give the JS loops\' values on 1 and 2 threads', { timeout: 120_000 }, () => {
  const next = stream(3);
  // [rows, x width, index width, index shared by all rows]: each large enough for the Wasm kernels.
  const cases: [number, number, number, boolean][] = [
    [64, 785, 19_600, true],
    [5, 300, 9_000, false],
    [3, 7, 20_000, true],
  ];

  it.each(cases)('%i rows, x width %i, index width %i, shared index %s', (rows, xWidth, width, shared) => {
    expect(rows * width).toBeGreaterThanOrEqual(WASM_GATHER_MIN);
    const pad = 3;
    const x = Float32Array.from({ length: rows * (xWidth + pad) + 1 }, () => next() * 2 - 1);
    const xOp = operand(x, [rows, xWidth], [xWidth + pad, 1], 1);
    const values = Array.from({ length: shared ? width : rows * width }, () => Math.floor(next() * xWidth));
    const index = operand(BigInt64Array.from(values.map(BigInt)), [rows, width], [shared ? 0 : width, 1]);
    const src = operand(Float32Array.from({ length: rows * (width + pad) }, () => next() - 0.5), [rows, width], [width + pad, 1]);
    const expectedGather = Array.from(gather(xOp, 1, index) as Float32Array);
    const expectedScatter = Array.from(scatterAdd([rows, xWidth], 1, index, src) as Float32Array);
    for (const n of [1, 2]) {
      setNumThreads(n);
      expect(Array.from(gatherRows(xOp, 1, index) as Float32Array), `${n} threads`).toEqual(expectedGather);
      expect(Array.from(scatterAddRows([rows, xWidth], 1, index, src) as Float32Array), `${n} threads`).toEqual(expectedScatter);
    }
  });

  it('moves runs of consecutive indices as vectors: runs of every length, broken anywhere, at row ends', () => {
    const rows = 9;
    const xWidth = 400;
    const width = 5_000;
    const x = Float32Array.from({ length: rows * xWidth }, () => next() * 2 - 1);
    const xOp = operand(x, [rows, xWidth], [xWidth, 1]);
    // Runs of 1 to 40 consecutive indices from random starts (a run may end at the row's last element).
    const values: number[] = [];
    while (values.length < rows * width) {
      const start = Math.floor(next() * xWidth);
      const length = 1 + Math.floor(next() * 40);
      for (let k = 0; k < length && values.length < rows * width; k++) values.push(Math.min(start + k, xWidth - 1));
    }
    const index = operand(Int32Array.from(values), [rows, width], [width, 1]);
    const expected = Array.from(gather(xOp, 1, index) as Float32Array);
    for (const n of [1, 2]) {
      setNumThreads(n);
      expect(Array.from(gatherRows(xOp, 1, index) as Float32Array), `${n} threads`).toEqual(expected);
    }
  });

  it.each([
    [4704, 4],
    [4700, 4],
    [3003, 3],
    [1001, 1],
  ])('window argmax over %i entries in windows of %i: ties pick the first, NaN wins', (perRow, window) => {
    const rows = 40;
    const width = 6 * 784;
    // Values with many ties (ReLU zeros) and a few NaNs.
    const x = Float32Array.from({ length: rows * width }, () => {
      const r = next();
      return r < 0.02 ? NaN : r < 0.5 ? 0 : Math.floor(r * 8);
    });
    for (const shared of [true, false]) {
      const idx = Int32Array.from({ length: shared ? perRow : rows * perRow }, () => Math.floor(next() * width));
      const index = operand(idx, [rows, perRow], [shared ? 0 : perRow, 1]);
      const expected = referenceWinners(x, width, rows, idx, shared, perRow, window);
      for (const n of [1, 2]) {
        setNumThreads(n);
        const got = windowArgmax(operand(x, [rows, width], [width, 1]), index, window);
        expect(Array.from(got, Number), `shared ${shared}, ${n} threads`).toEqual(expected);
      }
    }
  });
});
