import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// Python's `x[specs] = v` written `x.indexPut_(specs, v)` (`x[specs] += v` with accumulate), as a translation of
// d2l's `X[~mask] = value`, `P[:, :, 0::2] = torch.sin(X)` or the tensor tutorial's `tensor[:, 1] = 0` reads.
// Golden values from real PyTorch 1.13: fixtures/gen_setitem.py writes fixtures/setitem.json.
type Spec = number | string | null | { list: unknown[] } | { tensor: unknown[]; dtype: string };
type Value = number | { shape: number[] };

interface Case {
  name: string;
  shape: number[];
  specs: Spec[];
  value: Value;
  accumulate: boolean;
  out: number[];
  grad_fn: string;
  upstream: number[];
  grad: number[];
  value_grad: number[] | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('setitem', new URL('./fixtures/', import.meta.url));

type Specs = Parameters<torch.Tensor['indexPut_']>[0];

function decode(spec: Spec): Specs[number] {
  if (spec !== null && typeof spec === 'object' && 'list' in spec) return spec.list;
  if (spec !== null && typeof spec === 'object') return torch.tensor(spec.tensor as number[], { dtype: spec.dtype as torch.DType });
  return spec;
}

function value(v: Value): torch.Tensor | number {
  if (typeof v === 'number') return v;
  const n = v.shape.reduce((a, b) => a * b, 1);
  return torch.arange(1, n + 1, { dtype: 'float32' }).reshape(v.shape);
}

const arangeOf = (shape: number[]) => torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: 'float32' }).reshape(shape);

describe('x[specs] = v (Tensor.__setitem__) as x.indexPut_(specs, v), as PyTorch 1.13', () => {
  it.each((golden.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const x = arangeOf(c.shape).requiresGrad_();
    const y = x.mul(1);
    const v = value(c.value);
    if (v instanceof torch.Tensor) v.requiresGrad_();
    y.indexPut_(c.specs.map(decode), v, c.accumulate);
    expect(y.detach().reshape(-1).tolist()).toEqual(c.out);
    // A write through a view of y (basic indexing first) is its base's CopySlices, as in PyTorch.
    if (c.grad_fn === 'CopySlices') expect(y.gradFn!.name()).toBe('CopySlices');
    y.mul(torch.tensor(c.upstream).reshape(c.shape)).sum().backward();
    (x.grad!.reshape(-1).tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(c.grad[i], 6));
    if (v instanceof torch.Tensor) (v.grad!.reshape(-1).tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(c.value_grad![i], 6));
  });

  it('out of place, indexPut leaves x as it was', () => {
    const x = torch.zeros(2, 3);
    const y = x.indexPut([0, '1:'], 7);
    expect(y.tolist()).toEqual([[0, 7, 7], [0, 0, 0]]);
    expect(x.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it.each((golden.errors as { name: string; shape: number[]; specs: Spec[]; value: Value; message: string }[]).map((e) => [e.name, e] as const))(
    "raises PyTorch's error: %s",
    (_name, e) => {
      const x = torch.zeros(e.shape);
      expect(() => x.indexPut_(e.specs.map(decode), value(e.value))).toThrow(e.message);
    },
  );

  it('refuses to write into a leaf that requires grad', () => {
    const leaf = torch.ones(3, { requiresGrad: true });
    expect(() => leaf.indexPut_([0], 2)).toThrow(golden.leaf_error);
  });
});
