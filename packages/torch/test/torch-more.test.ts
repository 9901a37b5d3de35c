import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor, fromFixture, type FixtureTensor } from './golden-check.js';
import { TORCH_MORE_CALLS as MORE_CALLS, TORCH_MORE_ERROR_CALLS as MORE_ERROR_CALLS } from './torch-more-calls.js';
import { LINALG_CALLS, LINALG_ERROR_CALLS } from './torch-more-linalg-calls.js';

// Golden values from real PyTorch 1.13: fixtures/gen_torch_more.py (cases in torch_more_cases.py) writes
// fixtures/torch-more.json: values and dtypes, gradients of sum(output * upstream), second-order gradients, grad_fn
// names and error messages.
const TORCH_MORE_CALLS = { ...MORE_CALLS, ...LINALG_CALLS };
const TORCH_MORE_ERROR_CALLS = { ...MORE_ERROR_CALLS, ...LINALG_ERROR_CALLS };

interface Case {
  name: string;
  inputs: FixtureTensor[];
  output: FixtureTensor | FixtureTensor[] | { value: number | boolean | number[] };
  upstream: (FixtureTensor | null)[] | null;
  grads: (FixtureTensor | null)[] | null;
  requires_grad: boolean[];
  grad_fn: string | null;
}

interface SecondOrder {
  name: string;
  input: FixtureTensor;
  upstream: FixtureTensor[];
  weight: FixtureTensor;
  grad: FixtureTensor;
  grad2: FixtureTensor;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('torch-more', new URL('./fixtures/', import.meta.url));

// Factorizations and iterative decompositions round differently from LAPACK: float32 within 1e-4, and a zero's sign
// is rounding's choice.
const LOOSE = /^(linalg|svd|pinv|eigh|lstsq|matrix_power|logdet|slogdet|chain_matmul|qr|cond)/;

describe('more torch functions against PyTorch 1.13 (values, gradients, grad_fn names)', () => {
  const cases = golden.cases as Case[];

  it('covers every generated case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(TORCH_MORE_CALLS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const loose = LOOSE.test(name);
    const tol = loose ? 1e-4 : 1e-5;
    const inputs = c.inputs.map((t, i) => {
      const x = fromFixture(t);
      return c.requires_grad[i] ? x.requiresGrad_() : x;
    });
    const result = TORCH_MORE_CALLS[name](...inputs);
    if ('value' in c.output) {
      expect(result).toEqual(c.output.value);
      return;
    }
    const outputs = (result instanceof torch.Tensor ? [result] : [...(result as Iterable<torch.Tensor>)]);
    const expected = Array.isArray(c.output) ? c.output : [c.output];
    expect(outputs.length).toBe(expected.length);
    outputs.forEach((o, i) => expectTensor(o, expected[i], `output ${i}`, !loose, tol));
    expect(outputs[0].gradFn?.name() ?? null, 'grad_fn').toBe(c.grad_fn);
    if (!c.grads || !c.upstream) return;
    const live = outputs.map((o, i) => [o, c.upstream![i]] as const).filter(([o, u]) => u !== null && o.requiresGrad);
    expect(live.length, 'differentiable outputs').toBeGreaterThan(0);
    live.map(([o, u]) => o.mul(fromFixture(u!)).sum()).reduce((a, b) => a.add(b)).backward();
    c.grads.forEach((g, i) => {
      if (g) expectTensor(inputs[i].grad ?? torch.zerosLike(inputs[i]), g, `grad ${i}`, false, tol);
    });
  });

  it.each((golden.second_order as SecondOrder[]).map((c) => [c.name, c] as const))('%s, second order', (name, c) => {
    const x = fromFixture(c.input).requiresGrad_();
    const result = TORCH_MORE_CALLS[name](x);
    const outputs = result instanceof torch.Tensor ? [result] : [...(result as Iterable<torch.Tensor>)];
    const total = outputs.map((o, i) => o.mul(fromFixture(c.upstream[i])).sum()).reduce((a, b) => a.add(b));
    const [g] = torch.autograd.grad(total, x, { createGraph: true });
    expectTensor(g!, c.grad, 'grad', false, 1e-4);
    const [gg] = torch.autograd.grad(g!.mul(fromFixture(c.weight)).sum(), x);
    expectTensor(gg!, c.grad2, 'grad2', false, 1e-4);
  });

  it.each((golden.errors as { name: string; message: string }[]).map((e) => [e.name, e.message] as const))("raises PyTorch's error: %s", (name, message) => {
    expect(TORCH_MORE_ERROR_CALLS[name]).toThrow(message);
  });
});
