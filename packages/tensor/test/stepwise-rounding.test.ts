import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// PyTorch's CPU kernels compute x ** 3 as x * x * x, x ** -2 as 1 / (x * x), rsqrt and x ** -0.5 as 1 / sqrt(x) and
// sigmoid as 1 / (1 + exp(-x)), rounding to float32 after each step. Computed in double and rounded once, a quarter
// to a half of the results were a bit off, enough to make pytorch/examples regression drift from PyTorch's losses.
// fixtures/gen_stepwise_rounding.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('stepwise-rounding', new URL('./fixtures/', import.meta.url));

const values = (a: (number | string)[]) => a.map((v) => (v === 'nan' ? NaN : Number(v)));
const f32 = (a: (number | string)[]) => torch.tensor(values(a), { dtype: 'float32' });

function mismatches(actual: torch.Tensor, expected: (number | string)[]): number[] {
  const got = actual.dataSync() as Float32Array;
  return values(expected).flatMap((want, i) => (Object.is(got[i], Math.fround(want)) ? [] : [i]));
}

describe('float32 ops that round between steps, bit for bit as PyTorch', () => {
  it('x ** 3 and x ** -2', () => {
    const x = f32(golden.x);
    expect(mismatches(x.pow(3), golden.pow3)).toEqual([]);
    expect(mismatches(x.pow(-2), golden.pow_m2)).toEqual([]);
  });

  it('rsqrt and x ** -0.5', () => {
    const pos = f32(golden.pos);
    expect(mismatches(pos.rsqrt(), golden.rsqrt)).toEqual([]);
    expect(mismatches(pos.pow(-0.5), golden.pow_m05)).toEqual([]);
  });

  it('sigmoid, within a few ulps (PyTorch takes exp from Sleef, not always correctly rounded)', () => {
    const s = f32(golden.s);
    const got = s.sigmoid().dataSync() as Float32Array;
    const want = values(golden.sigmoid);
    const off = mismatches(s.sigmoid(), golden.sigmoid);
    expect(off.length).toBeLessThan(want.length / 10); // 44% before
    for (const i of off) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(4e-7 * Math.abs(want[i]));
  });

  it('is still one PowBackward0 node', () => {
    const x = torch.tensor([1.5, -2, 0.5], { dtype: 'float32', requiresGrad: true });
    expect(x.pow(3).gradFn?.name()).toBe('PowBackward0');
    expect(x.pow(-0.5).gradFn?.name()).toBe('PowBackward0');
  });
});
