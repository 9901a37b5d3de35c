import { readFileSync } from 'node:fs';
import { contiguousView, type Backend, type HostArray, type Operand, type View } from '@descent/backend';
import { describe, expect, it } from 'vitest';

// Up to 1e6-long rows and [1e6, 43] matrices: correctness checks that need more than vitest's default 5 s on a
// loaded 2-core machine (the sums are timed in `pnpm bench`, never here).
const HEAVY_TIMEOUT = 120_000;
import { createCpuBackend } from '../src/index.js';
import { sumFloatView } from '../src/sum-order.js';
import { hashData, hexBits } from './sum-order-data.js';

// Bit patterns of PyTorch 1.13's CPU sum and mean (AVX2 build, one thread), from fixtures/gen_sum_order.py.
interface Fixture {
  rows: number;
  full: { kind: 'pos' | 'signed'; seed: number; n: number; sum: string; mean: string; rowSum: string; rowMean: string }[];
  outer: { seed: number; n: number; cols: number; colSum: string; colMean?: string }[];
  strided: {
    name: string;
    seed: number;
    baseNumel: number;
    shape: number[];
    strides: number[];
    offset: number;
    dims: number[];
    sum: string;
  }[];
  float64: { n: number; cols?: number; sum?: string; rowSum?: string; colSum?: string }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/sum-order.json', import.meta.url), 'utf8')) as Fixture;
const backend: Backend<HostArray> = createCpuBackend();

function float32Data(n: number, seed: number, kind: 'pos' | 'signed'): Float32Array {
  const data = new Float32Array(n);
  hashData(n, seed, kind, data);
  return data;
}

/** As the tensor layer calls the backend: the kept dims first, the reduced dims last, through strides. */
function sumDims(buffer: Float32Array, view: View, dims: readonly number[]): Float32Array {
  const rank = view.shape.length;
  const order = [...Array.from({ length: rank }, (_, d) => d).filter((d) => !dims.includes(d)), ...dims];
  const permuted: View = {
    shape: order.map((d) => view.shape[d]),
    strides: order.map((d) => view.strides[d]),
    offset: view.offset,
  };
  return backend.reduce('sum', { buffer, view: permuted, dtype: 'float32' }, dims.length) as Float32Array;
}

/** mean = sum / count in float32, as the tensor layer's mean (and PyTorch's CPU mean) divides. */
function meanOf(sums: Float32Array, count: number): Float32Array {
  const a: Operand<HostArray> = { buffer: sums, view: contiguousView([sums.length]), dtype: 'float32' };
  const b: Operand<HostArray> = {
    buffer: Float32Array.of(count),
    view: { shape: [sums.length], strides: [0], offset: 0 },
    dtype: 'float32',
  };
  return backend.binary('div', a, b) as Float32Array;
}

const maxN = Math.max(...fixture.full.map((c) => c.n));

describe('float32 sum in PyTorch 1.13 order', { timeout: HEAVY_TIMEOUT }, () => {
  for (const kind of ['pos', 'signed'] as const) {
    const cases = fixture.full.filter((c) => c.kind === kind);
    it(`full sum and mean of n elements, n = 1..300 and log-spaced to 1e6 (${kind} data, ${cases.length} lengths)`, () => {
      const data = float32Data(maxN * fixture.rows, cases[0].seed, kind);
      const wrong: string[] = [];
      for (const c of cases) {
        const sum = sumDims(data, contiguousView([c.n]), [0]);
        if (hexBits(sum) !== c.sum) wrong.push(`sum n=${c.n}: ${hexBits(sum)} != ${c.sum}`);
        if (hexBits(meanOf(sum, c.n)) !== c.mean) wrong.push(`mean n=${c.n}`);
      }
      expect(wrong).toEqual([]);
    });

    it(`sum(-1) and mean(-1) of [${fixture.rows}, n] (${kind} data)`, () => {
      const data = float32Data(maxN * fixture.rows, cases[0].seed, kind);
      const wrong: string[] = [];
      for (const c of cases) {
        const sums = sumDims(data, contiguousView([fixture.rows, c.n]), [1]);
        if (hexBits(sums) !== c.rowSum) wrong.push(`sum(-1) n=${c.n}: ${hexBits(sums)} != ${c.rowSum}`);
        if (hexBits(meanOf(sums, c.n)) !== c.rowMean) wrong.push(`mean(-1) n=${c.n}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('sum(0) of [n, cols]: the vectorized (43 columns) and scalar (6 columns, with mean(0)) outer orders', () => {
    const maxCols = Math.max(...fixture.outer.map((c) => c.cols));
    const data = float32Data(maxN * maxCols, fixture.outer[0].seed, 'pos');
    const wrong: string[] = [];
    for (const c of fixture.outer) {
      const sums = sumDims(data, contiguousView([c.n, c.cols]), [0]);
      if (hexBits(sums) !== c.colSum) wrong.push(`sum(0) [${c.n}, ${c.cols}]`);
      if (c.colMean !== undefined && hexBits(meanOf(sums, c.n)) !== c.colMean) wrong.push(`mean(0) [${c.n}, ${c.cols}]`);
    }
    expect(wrong).toEqual([]);
  });

  it('strided views: transposes, slices, steps, 3-D reductions over any dims, permuted inputs, expands', () => {
    const wrong: string[] = [];
    for (const c of fixture.strided) {
      const base = float32Data(c.baseNumel, c.seed, 'pos');
      const sums = sumDims(base, { shape: c.shape, strides: c.strides, offset: c.offset }, c.dims);
      if (hexBits(sums) !== c.sum) wrong.push(c.name);
    }
    expect(wrong).toEqual([]);
  });

  it('is not the order of a double accumulator (the fixtures tell the two apart)', () => {
    const data = float32Data(maxN, 1, 'pos');
    let differ = 0;
    for (const c of fixture.full.filter((f) => f.kind === 'pos')) {
      let acc = 0;
      for (let i = 0; i < c.n; i++) acc += data[i];
      if (hexBits(Float32Array.of(acc)) !== c.sum) differ++;
    }
    expect(differ).toBeGreaterThan(100);
  });
});

describe('float64 sum in PyTorch 1.13 order (4 lanes per AVX2 vector)', { timeout: HEAVY_TIMEOUT }, () => {
  it('full, sum(-1) of [3, n], sum(0) of [n, 3] and of [n, 43]', () => {
    const maxLen = Math.max(...fixture.float64.filter((c) => c.cols === undefined).map((c) => c.n));
    const data = new Float64Array(maxLen * 3);
    hashData(data.length, 4, 'pos', data);
    const wide = new Float64Array(5000 * 43);
    hashData(wide.length, 5, 'pos', wide);
    const wrong: string[] = [];
    const sum = (x: Float64Array, view: View, k: number, outNumel: number): string => {
      const out = new Float64Array(outNumel);
      sumFloatView(x, view, k, out);
      return hexBits(out);
    };
    for (const c of fixture.float64) {
      if (c.cols !== undefined) {
        const got = sum(wide, { shape: [c.cols, c.n], strides: [1, c.cols], offset: 0 }, 1, c.cols);
        if (got !== c.colSum) wrong.push(`sum(0) [${c.n}, ${c.cols}]`);
        continue;
      }
      if (sum(data, contiguousView([c.n]), 1, 1) !== c.sum) wrong.push(`sum n=${c.n}`);
      if (sum(data, contiguousView([3, c.n]), 1, 3) !== c.rowSum) wrong.push(`sum(-1) n=${c.n}`);
      const cols = sum(data, { shape: [3, c.n], strides: [1, 3], offset: 0 }, 1, 3);
      if (cols !== c.colSum) wrong.push(`sum(0) [${c.n}, 3]`);
    }
    expect(wrong).toEqual([]);
  });
});
