import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { EINSUM, einsumOperands, moduleCases, nnCases, tensorCases } from './grad-fn-ops-cases.js';

// What `print(out)` shows as grad_fn for ops Descent composes from smaller ones: PyTorch runs one kernel for each
// (`ConstantPadNdBackward0`, `TopkBackward0`, ...) or ends its own composition on a particular node (einsum's
// `ViewBackward0`, matmul's `UnsafeViewBackward0`). Golden names from real PyTorch 1.13: fixtures/gen_grad_fn_ops.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('grad-fn-ops', new URL('./fixtures/', import.meta.url));
const F = torch.nn.functional;

describe("grad_fn names of composed ops, as PyTorch 1.13's", () => {
  it('names each op and its variants (dims, reductions, module or functional, in place) as PyTorch does', () => {
    torch.manualSeed(0);
    const x = torch.randn(4, 6).requiresGrad_();
    const x3 = torch.randn(2, 3, 8).requiresGrad_();
    const x4 = torch.randn(2, 3, 4, 4).requiresGrad_();
    const x5 = torch.randn(1, 2, 4, 4, 4).requiresGrad_();
    const v = torch.randn(6).requiresGrad_();
    const cases = { ...nnCases(x, x3, x4, x5), ...moduleCases(x, x3, x4), ...tensorCases(x, x3, x4, v) };
    const names = Object.fromEntries(Object.entries(cases).map(([key, f]) => [key, f().gradFn!.name()]));
    expect(names).toEqual(golden.names);
  });

  it("names einsum's result after the node PyTorch's einsum ends on", () => {
    const ops = einsumOperands();
    const names = Object.fromEntries(Object.entries(EINSUM).map(([eq, letters]) => [eq, torch.einsum(eq, ...[...letters].map((c) => ops[c])).gradFn!.name()]));
    expect(names).toEqual(golden.einsum);
  });

  it('prints the names in the tensor repr', () => {
    const a = torch.tensor([[1.0, -2.0]], { requiresGrad: true });
    const printed = [
      String(F.pad(a, [1, 1])),
      String(a.maskedFill(a.lt(0), 0.0)),
      String(torch.tensor([4.0], { requiresGrad: true }).norm()),
      String(F.pad(a.unsqueeze(0), [1, 1], { mode: 'circular' })),
    ];
    expect(printed).toEqual(golden.printed);
  });

  it('keeps the rule and edges of the composite: an in-place activation still reaches the input', () => {
    const x = torch.randn(3).requiresGrad_();
    const y = F.elu(x.mul(1), { inplace: true });
    expect(y.gradFn!.name()).toBe('EluBackward1');
    y.sum().backward();
    expect(x.grad).not.toBeNull();
  });
});
