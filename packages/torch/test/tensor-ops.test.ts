import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// Golden values from real PyTorch 1.13: fixtures/gen_tensor_ops.py writes fixtures/tensor-ops.json.
interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: (number | boolean)[];
}

interface Case {
  name: string;
  input: FixtureTensor;
  output: FixtureTensor | FixtureTensor[];
  upstream: FixtureTensor[] | null;
  grad: FixtureTensor | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tensor-ops', new URL('./fixtures/', import.meta.url));
const fromFixture = (t: FixtureTensor) =>
  torch.tensor(t.data.map(Number), { dtype: t.dtype as torch.DType }).reshape(t.shape);
const g = (name: string) => fromFixture(golden.tensors[name]);
const X = (cases: Case[], name: string) => fromFixture(cases.find((c) => c.name === name)!.input);

/** Each case as a user writes it in TypeScript (the same call as the generator's lambda). */
const CALLS: Record<string, (x: torch.Tensor, x0: torch.Tensor) => torch.Tensor | torch.Tensor[]> = {
  tril: (x) => x.tril(),
  tril_1: (x) => x.tril(1),
  'tril_-1_batched': (x) => x.tril(-1),
  triu: (x) => x.triu(),
  triu_2_batched: (x) => x.triu(2),
  diag_matrix: (x) => torch.diag(x),
  diag_matrix_1: (x) => torch.diag(x, 1),
  'diag_matrix_-2': (x) => torch.diag(x, -2),
  diag_vector: (x) => torch.diag(x),
  'diag_vector_-1': (x) => torch.diag(x, -1),
  masked_fill: (x, x0) => x.maskedFill(x0.gt(0.3), -1.5),
  masked_fill_broadcast: (x) => x.maskedFill(torch.tensor([true, false, true, false, false]), -Infinity),
  chunk_3_dim1: (x) => x.chunk(3, 1),
  chunk_2: (x) => x.chunk(2),
  split_2_dim2: (x) => x.split(2, 2),
  split_sizes_dim2: (x) => x.split([1, 3, 1], 2),
  repeat_2_3: (x) => x.repeat(2, 3),
  repeat_2_1_2: (x) => x.repeat(2, 1, 2),
  repeat_interleave_2: (x) => x.repeatInterleave(2),
  repeat_interleave_3_dim0: (x) => x.repeatInterleave(3, 0),
  repeat_interleave_tensor_dim1: (x) => x.repeatInterleave(torch.tensor([1, 0, 2, 3]), 1),
  flip_0: (x) => x.flip(0),
  flip_0_2: (x) => x.flip([0, 2]),
  roll_1: (x) => x.roll(1),
  roll_2_dim1: (x) => x.roll(2, 1),
  'roll_-1_1_dims_0_2': (x) => x.roll([-1, 1], [0, 2]),
  dot: (x) => torch.dot(x, fromFixture(golden.tensors.W)),
  outer: (x) => torch.outer(x, fromFixture(golden.tensors.W)),
  norm: (x) => x.norm(),
  norm_1: (x) => x.norm(1),
  norm_3_dim1: (x) => x.norm(3, 1),
  norm_inf_dim0: (x) => x.norm(Infinity, 0),
  norm_fro_dims_keepdim: (x) => x.norm('fro', [1, 2], { keepdim: true }),
  'norm_2_dim_-1': (x) => x.norm(2, -1),
  norm_0: (x) => x.norm(0),
  norm_zero_rows: (x) => x.norm(2, 1),
  logsumexp_1: (x) => x.logsumexp(1),
  logsumexp_dims_keepdim: (x) => x.logsumexp([0, 2], { keepdim: true }),
  logsumexp_inf: (x) => x.logsumexp(1),
  sort: (x) => [...x.sort()],
  sort_dim0_descending: (x) => [...x.sort(0, { descending: true })],
  sort_ties_stable: (x) => [...x.sort(-1, { stable: true })],
  sort_ties_descending_stable: (x) => [...x.sort(-1, { descending: true, stable: true })],
  sort_nan: (x) => [...x.sort()],
  sort_nan_descending: (x) => [...x.sort(-1, { descending: true })],
  argsort_dim1_batched: (x) => x.argsort(1),
  topk_2: (x) => [...x.topk(2)],
  topk_2_dim0_smallest: (x) => [...x.topk(2, 0, { largest: false })],
  cumsum_1: (x) => x.cumsum(1),
  cumsum_0_batched: (x) => x.cumsum(0),
  cumsum_long_row: (x) => x.cumsum(0),
  cumsum_int: (x) => x.cumsum(0),
  cumprod_1: (x) => x.cumprod(1),
  cumprod_zeros: (x) => x.cumprod(1),
  index_bool_mask: (x, x0) => x.index(x0.gt(0)),
  index_bool_rows: (x) => x.index(torch.tensor([true, false, true])),
  index_int_tensor: (x) => x.index(torch.tensor([2, 0, -1, 2])),
  index_int_tensor_2d: (x) => x.index(torch.tensor([[0, 1], [2, 2]])),
  index_colon_int_tensor: (x) => x.index(':', torch.tensor([1, 1, 0])),
  index_int_then_mask: (x) => x.index(1, torch.tensor([true, false, true])),
  masked_select_broadcast: (x) => torch.maskedSelect(x, torch.tensor([true, false, false, true])),
  index_fill_dim1: (x) => x.indexFill(1, torch.tensor([0, 2]), -2),
  index_put_mask_scalar: (x, x0) => x.clone().indexPut_([x0.gt(0.5)], torch.tensor(7)),
  index_put_rows_values: (x) => x.clone().indexPut_([torch.tensor([2, 0])], torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8]])),
  index_put_accumulate_duplicates: (x) => x.clone().indexPut_([torch.tensor([1, 1, 0])], torch.tensor(0.5), true),
  pad_constant: (x) => torch.nn.functional.pad(x, [1, 2]),
  pad_constant_value_2d: (x) => torch.nn.functional.pad(x, [1, 0, 2, 1], 'constant', -1.5),
  pad_negative: (x) => torch.nn.functional.pad(x, [-1, 1, 0, -1]),
  pad_reflect: (x) => torch.nn.functional.pad(x, [2, 3], 'reflect'),
  pad_replicate_2d: (x) => torch.nn.functional.pad(x, [1, 2, 2, 1], 'replicate'),
  pad_circular: (x) => torch.nn.functional.pad(x, [2, 1], 'circular'),
  one_hot: (x) => torch.nn.functional.oneHot(x),
  one_hot_classes: (x) => torch.nn.functional.oneHot(x, 4),
  einsum_matmul: (x) => torch.einsum('ij,jk->ik', x, g('E1')),
  einsum_batched: (x) => torch.einsum('bij,bkj->bik', x, g('E2')),
  einsum_transpose_implicit: (x) => torch.einsum('ji', x),
  einsum_sum_all: (x) => torch.einsum('ij->', x),
  einsum_outer: (x) => torch.einsum('i,j->ij', x, g('W')),
  einsum_dot: (x) => torch.einsum('i,i->', x, g('W')),
  einsum_ellipsis: (x) => torch.einsum('...ij,...jk->...ik', x, g('E3')),
  einsum_three: (x) => torch.einsum('ij,jk,kl->il', x, g('E1'), g('E4')),
  einsum_attention: (x) => torch.einsum('bhqd,bhkd->bhqk', x, g('A4K')),
  einsum_implicit_contract: (x) => torch.einsum('ijk,ik', x, g('E5')),
  einsum_trace: (x) => torch.einsum('ii', x),
  einsum_diag: (x) => torch.einsum('ii->i', x),
  einsum_batch_diag: (x) => torch.einsum('bii->bi', x),
  einsum_diag_contract: (x) => torch.einsum('ii,ij->j', x, g('E4')),
  all: (x) => x.gt(-3).all(),
  any_dim1: (x) => x.gt(1).any(1),
  all_dim0_keepdim: (x) => x.gt(-1).all(0, { keepdim: true }),
};

function expectTensor(actual: torch.Tensor, expected: FixtureTensor, label: string): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const got = Array.from(actual.dataSync() as ArrayLike<number>, Number);
  expected.data.forEach((e, i) => {
    const want = Number(e);
    const ok = Number.isNaN(want) ? Number.isNaN(got[i]) : got[i] === want || Math.abs(got[i] - want) <= 1e-5 + 1e-5 * Math.abs(want);
    if (!ok) throw new Error(`${label} element ${i}: got ${got[i]}, expected ${want}`);
  });
}

describe('tensor ops against PyTorch 1.13 (values and gradients)', () => {
  const cases = golden.cases as Case[];

  it('covers every generated case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const x0 = fromFixture(c.input);
    const x = c.grad ? x0.clone().requiresGrad_() : x0;
    const result = CALLS[name](x, x0);
    const outputs = Array.isArray(result) ? result : [result];
    const expected = Array.isArray(c.output) ? c.output : [c.output];
    expect(outputs.length).toBe(expected.length);
    outputs.forEach((o, i) => expectTensor(o, expected[i], `output ${i}`));
    if (c.grad && c.upstream) {
      const total = outputs.map((o, i) => o.mul(fromFixture(c.upstream![i])).sum()).reduce((a, b) => a.add(b));
      total.backward();
      expectTensor(x.grad!, c.grad, 'grad');
    }
  });

  it.each((golden.errors as { name: string; message: string }[]).map((e) => [e.name, e.message] as const))('raises PyTorch\'s error: %s', (name, message) => {
    const cases = golden.cases as Case[];
    const x = X(cases, 'tril');
    const v = X(cases, 'dot');
    const calls: Record<string, () => unknown> = {
      tril_1d: () => v.tril(),
      masked_fill_float_mask: () => x.maskedFill(x, 1.0),
      masked_fill_value_1d: () => x.maskedFill(x.gt(0), torch.tensor([1.0])),
      split_sizes_sum: () => x.split([1, 1], 0),
      repeat_fewer_dims: () => x.repeat(2),
      dot_2d: () => torch.dot(x, x),
      dot_sizes: () => torch.dot(v, torch.randn(4)),
      norm_int: () => torch.tensor([1, 2]).norm(),
      roll_misaligned: () => x.roll([1, 2], 0),
      index_mask_shape: () => x.index(torch.tensor([true, false])),
      index_out_of_range: () => x.index(torch.tensor([3])),
      item_of_many: () => Number(x),
    };
    expect(calls[name]).toThrow(message);
  });

  it('writes in place: maskedFill_, tril_ and triu_', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    x.maskedFill_(x.gt(2), 0);
    expect(x.tolist()).toEqual([[1, 2], [0, 0]]);
    const y = torch.ones(3, 3);
    y.triu_(1);
    expect(y.tolist()).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
    expect(torch.ones(2, 2, { dtype: 'bool' }).tril().dtype).toBe('bool');
  });

  it('converts a one-element tensor where JavaScript asks for a number, and keeps the repr in strings', () => {
    const loss = torch.tensor(2.5);
    expect(Number(loss)).toBe(2.5);
    expect(+torch.tensor([[3]])).toBe(3);
    expect((loss.gt(0) as unknown as number) > 0 ? 'yes' : 'no').toBe('yes'); // what plain JavaScript writes
    expect(`${loss}`).toBe('tensor(2.5000)');
    expect(String(loss)).toBe('tensor(2.5000)');
  });

  it('makes new tensors like an existing one (new_zeros, new_ones, new_full, new_tensor) and converts with type(dtype)', () => {
    const x = torch.tensor([1, 2], { dtype: 'int32' });
    expect(x.newZeros([2, 3]).dtype).toBe('int32');
    expect(x.newOnes([2]).tolist()).toEqual([1, 1]);
    expect(x.newFull([1], 7).tolist()).toEqual([7]);
    expect(x.newTensor([[4, 5]]).dtype).toBe('int32');
    expect(x.newZeros([1], { dtype: 'float32' }).dtype).toBe('float32');
    expect(x.type('float64').dtype).toBe('float64');
    expect(x.type('torch.FloatTensor').dtype).toBe('float32');
    expect(x.type()).toBe('torch.IntTensor');
  });

  it('rejects an option a function does not take, as Python does', () => {
    const x = torch.ones(2, 3);
    expect(() => x.sum(1, { keepDims: true } as never)).toThrow("sum() got an unexpected keyword argument 'keepDims'");
    expect(() => x.mean(0, { keepDim: true } as never)).toThrow("mean() got an unexpected keyword argument 'keepDim'");
    expect(() => torch.zeros(2, { dtyp: 'float32' } as never)).toThrow("zeros() got an unexpected keyword argument 'dtyp'");
    expect(() => x.add(x, { alpah: 2 } as never)).toThrow("add() got an unexpected keyword argument 'alpah'");
    expect(() => x.std(0, { ddof: 0 } as never)).toThrow("std() got an unexpected keyword argument 'ddof'");
  });

  it.each((golden.multinomial as { name: string; probs: FixtureTensor; n: number; replacement: boolean; samples: FixtureTensor[] }[]).map((c) => [c.name, c] as const))(
    'multinomial %s draws PyTorch\'s samples for the same seed',
    (_, c) => {
      torch.manualSeed(123);
      const probs = fromFixture(c.probs);
      for (const expected of c.samples) expectTensor(torch.multinomial(probs, c.n, c.replacement), expected, 'samples');
    },
  );

  it('builds the transformer tutorial\'s causal mask', () => {
    // nn.Transformer.generate_square_subsequent_mask(3): torch.triu(torch.full((3, 3), float('-inf')), diagonal=1)
    const mask = torch.triu(torch.full([3, 3], -Infinity), 1);
    expect(mask.tolist()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });
});
