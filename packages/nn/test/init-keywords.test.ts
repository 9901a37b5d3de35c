import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import { init } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// d2l writes `nn.init.normal_(m.weight, std=0.01)`: the initializers' numbers by keyword came through as NaN (an
// options object read as the mean). fixtures/gen_init_keywords.py records PyTorch's draws and TypeErrors.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('init-keywords', new URL('./fixtures/', import.meta.url));

function draw(fn: (w: torch.Tensor) => unknown): number[] {
  torch.manualSeed(0);
  const w = torch.empty(3, 4);
  fn(w);
  return w.reshape(-1).tolist() as number[];
}

function expectClose(got: number[], expected: number[], tol = 1e-6): void {
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `[${i}] ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

describe('nn.init takes its numbers by keyword, as PyTorch', () => {
  it('normal_, uniform_, xavier_*, trunc_normal_, orthogonal_ and constant_ draw PyTorch values', () => {
    expect(draw((w) => init.normal_(w, { std: 0.01 }))).toEqual(golden.normal_std);
    expect(draw((w) => init.normal_(w, { mean: 1.0, std: 0.5 }))).toEqual(golden.normal_mean_std);
    expect(draw((w) => init.normal_(w, 2.0, { std: 0.1 }))).toEqual(golden.normal_positional_mean);
    expectClose(draw((w) => init.uniform_(w, { a: -0.1, b: 0.1 })), golden.uniform_keywords);
    expectClose(draw((w) => init.uniform_(w, { b: 0.5 })), golden.uniform_b);
    expectClose(draw((w) => init.xavierUniform_(w, { gain: 2.0 })), golden.xavier_uniform_gain);
    expectClose(draw((w) => init.xavierNormal_(w, { gain: 0.5 })), golden.xavier_normal_gain);
    expectClose(draw((w) => init.truncNormal_(w, { std: 0.02 })), golden.trunc_normal_std, 1e-5);
    expectClose(draw((w) => init.orthogonal_(w, { gain: 3.0 })), golden.orthogonal_gain, 1e-5);
    expect(draw((w) => init.constant_(w, { val: 0.25 }))).toEqual(golden.constant_val);
  });

  it("raises PyTorch's TypeErrors", () => {
    const w = torch.empty(3, 4);
    expect(() => init.normal_(w, { sd: 1.0 } as never)).toThrow(new TypeError(golden.unexpected));
    expect(() => init.normal_(w, 0.0, { mean: 1.0 })).toThrow(new TypeError(golden.twice));
    expect(() => (init.uniform_ as (...a: unknown[]) => unknown)(w, 0.0, 1.0, 2.0)).toThrow(new TypeError(golden.too_many));
    expect(() => (init.constant_ as (...a: unknown[]) => unknown)(w)).toThrow(new TypeError(golden.constant_missing));
  });
});
