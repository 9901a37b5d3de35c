import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// Golden values from real PyTorch 1.13: fixtures/gen_advanced_index.py writes fixtures/advanced-index.json.
type Spec = number | string | null | { list: unknown[] } | { tensor: unknown[]; dtype: string };

interface Case {
  name: string;
  shape: number[];
  specs: Spec[];
  out_shape: number[];
  out: number[];
  upstream: number[];
  grad: number[];
}

interface Put {
  name: string;
  shape: number[];
  specs: Spec[];
  values: number[];
  accumulate: boolean;
  out: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('advanced-index', new URL('./fixtures/', import.meta.url));

/** A fixture spec as a user writes it: a JS array for a Python list, a tensor for a tensor. */
function decode(spec: Spec): torch.Tensor | number | string | null | unknown[] {
  if (spec !== null && typeof spec === 'object' && 'list' in spec) return spec.list;
  if (spec !== null && typeof spec === 'object') return torch.tensor(spec.tensor as number[], { dtype: spec.dtype as torch.DType });
  return spec;
}

const arangeOf = (shape: number[]) => torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: 'float32' }).reshape(shape);

describe('advanced indexing with several index tensors, as PyTorch 1.13', () => {
  it.each((golden.cases as Case[]).map((c) => [c.name, c] as const))('%s: values and gradient', (_name, c) => {
    const x = arangeOf(c.shape).requiresGrad_();
    const out = x.index(...(c.specs.map(decode) as Parameters<torch.Tensor['index']>));
    expect(out.shape).toEqual(c.out_shape);
    expect(Array.from(out.detach().reshape([-1]).tolist() as number[])).toEqual(c.out);
    out.mul(torch.tensor(c.upstream).reshape(c.out_shape)).sum().backward();
    const grad = x.grad!.reshape([-1]).tolist() as number[];
    grad.forEach((v, i) => expect(v).toBeCloseTo(c.grad[i], 6));
  });

  it.each((golden.puts as Put[]).map((p) => [p.name, p] as const))('index_put_ %s', (_name, p) => {
    const y = arangeOf(p.shape);
    const indices = p.specs.map(decode) as torch.Tensor[];
    y.indexPut_(indices, torch.tensor(p.values), p.accumulate);
    expect(y.reshape([-1]).tolist()).toEqual(p.out);
  });

  it.each((golden.errors as { name: string; specs: Spec[]; message: string }[]).map((e) => [e.name, e] as const))('raises PyTorch\'s error: %s', (_name, e) => {
    const x = torch.zeros(3, 4);
    expect(() => x.index(...(e.specs.map(decode) as Parameters<torch.Tensor['index']>))).toThrow(e.message);
  });

  it('never ignores a spec it does not understand', () => {
    const x = torch.zeros(3, 4);
    expect(() => x.index({ begin: 1 } as never)).toThrow('index: expected an integer, a slice');
    // A JS array of indices is Python's list index, not a no-op.
    expect(x.index([0, 2]).shape).toEqual([2, 4]);
  });
});
