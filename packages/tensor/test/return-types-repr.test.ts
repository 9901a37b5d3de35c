import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `print(decoder_output.topk(1))`, `print(torch.max(x, 1))` or `print(torch.aminmax(x))` printed "[object Object]";
// PyTorch prints the named tuple with its type and fields. fixtures/gen_return_types_repr.py (real PyTorch 1.13).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('return-types-repr', new URL('./fixtures/', import.meta.url));

describe('the torch.return_types named tuples print as PyTorch', () => {
  const x = torch.tensor([[1.5, -2.0, 3.25, 0.5], [4.0, 4.0, -1.0, 2.5]]);
  const v = torch.tensor([3, 1, 2]);
  const a = torch.tensor([[2.0, 0.0], [0.0, 3.0]], { dtype: 'float32' });
  const CASES: Record<string, () => unknown> = {
    max: () => torch.max(x, 1),
    max_keepdim: () => x.max(1, { keepdim: true }),
    min: () => x.min(0),
    topk: () => x.topk(1),
    topk_2: () => torch.topk(v, 2),
    sort: () => x.sort({ descending: true }),
    cummax: () => torch.cummax(v, 0),
    cummin: () => torch.cummin(x, 1),
    median: () => x.median(1),
    nanmedian: () => x.nanmedian(0),
    kthvalue: () => torch.kthvalue(v, 2),
    mode: () => torch.mode(x, 1),
    scalar: () => torch.tensor(2.5).max(0),
    aminmax: () => torch.aminmax(x),
    aminmax_dim: () => torch.aminmax(x, { dim: 1 }),
    frexp: () => torch.frexp(x),
    histogram: () => torch.histogram(x.reshape(-1), 2),
    slogdet: () => torch.slogdet(a),
    slogdet_method: () => a.slogdet(),
    linalg_slogdet: () => torch.linalg.slogdet(a),
    qr: () => torch.qr(torch.tensor([[3, 1], [4, 2]], { dtype: 'float32' })),
    linalg_qr: () => torch.linalg.qr(torch.tensor([[3, 1], [4, 2]], { dtype: 'float32' })),
    linalg_eigh: () => torch.linalg.eigh(a),
    triangular_solve: () => torch.triangularSolve(torch.tensor([[2], [3]], { dtype: 'float32' }), a),
  };
  it.each(Object.keys(CASES))('%s', (name) => {
    expect(String(CASES[name]())).toBe(golden[name]);
  });

  it('shows the same in console.log (util.inspect)', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(torch.max(x, 1))).toBe(golden.max);
  });
});
