import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// PyTorch's out= keyword as the trailing options object (`torch.matmul(tensor, tensor.T, out=y3)` in the tensors
// tutorial): JavaScript passed it silently and `out` was never written. fixtures/gen_out_argument.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('out-argument', new URL('./fixtures/', import.meta.url));

const a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], { dtype: 'float32' });
const b = torch.tensor([[0.5, -1.0], [2.0, 0.25], [-3.0, 1.5]], { dtype: 'float32' });

/** Equal, up to float32's rounding of transcendentals (exp may differ from PyTorch's by an ulp). */
function check(t: torch.Tensor, want: { shape: number[]; dtype: string; data: number[] }): void {
  expect(t.shape).toEqual(want.shape);
  expect(t.dtype).toBe(want.dtype);
  (t.flatten().tolist() as number[]).forEach((v, i) => expect(Math.abs(v - want.data[i])).toBeLessThanOrEqual(2 ** -23 * Math.abs(want.data[i])));
}

describe('torch.* functions write into out= and return it', () => {
  it.each([
    ['matmul', () => torch.empty(2, 2), (out: torch.Tensor) => torch.matmul(a, b, { out })],
    ['mul', () => torch.empty(2, 3), (out: torch.Tensor) => torch.mul(a, a, { out })],
    ['exp_float64', () => torch.empty(2, 3, { dtype: 'float64' }), (out: torch.Tensor) => torch.exp(a, { out })],
    ['add_alpha_int_into_float', () => torch.empty(2), (out: torch.Tensor) => torch.add(torch.tensor([1, 2]), 1, { alpha: 3, out })],
    ['cat', () => torch.empty(4, 3), (out: torch.Tensor) => torch.cat([a, a], 0, { out })],
    ['stack_dim_keyword', () => torch.empty(2, 2, 3), (out: torch.Tensor) => torch.stack([a, a], { dim: 1, out })],
    ['gt_into_float', () => torch.empty(2, 3), (out: torch.Tensor) => torch.gt(a, 2.5, { out })],
    ['sigmoid_no_grad', () => torch.empty(2, 3), (out: torch.Tensor) => torch.noGrad(() => torch.sigmoid(a.clone().requiresGrad_(), { out }))],
  ] as const)('%s', (name, make, call) => {
    const out = make();
    expect(call(out)).toBe(out);
    check(out, golden.cases[name]);
  });

  it("raises PyTorch's errors, and says why a differently shaped out cannot be used", () => {
    expect(() => torch.mul(a.clone().requiresGrad_(), a, { out: torch.empty(2, 3) })).toThrow(golden.errors.requires_grad);
    expect(() => torch.mul(a, a, { out: torch.empty(2, 3, { dtype: 'int64' }) })).toThrow(golden.errors.cast);
    expect(() => torch.mul(a, a, { out: torch.empty(5) })).toThrow('mul(): out= has shape [5] but the result has shape [2, 3]');
    expect(() => torch.exp(a, { out: torch.empty(2, 3), dim: 0 } as never)).toThrow("exp() got an unexpected keyword argument 'dim'");
    expect(() => torch.exp(a, { out: [1, 2] } as never)).toThrow("exp(): argument 'out' must be Tensor");
  });

  it('is the op itself without out, and passes other trailing arguments on (xs.map(torch.exp))', () => {
    expect(torch.add(a, a, { alpha: 2 }).tolist()).toEqual(a.mul(3).tolist());
    expect([torch.zeros(1), torch.ones(1)].map(torch.exp).map((t) => t.tolist())).toEqual([[1], [Math.fround(Math.E)]]);
  });
});
