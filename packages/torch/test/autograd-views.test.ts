import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';

// Expected values: PyTorch 1.13 running test/fixtures/gen_autograd_views.py, whose cases this file mirrors line by
// line (Python's `c[1] = 0` is `c.index(1).fill_(0)`, `z[0] = v` is `z.index(0).copy_(v)`).
const golden = JSON.parse(readFileSync(new URL('./fixtures/autograd-views.json', import.meta.url), 'utf8'));

const gradFn = (t: Tensor) => t.gradFn?.name() ?? null;
const values = (t: Tensor | null) => (t === null ? null : t.tolist());

describe('writes through views, as PyTorch records them', () => {
  it('an in-place op on a view rebases the base (CopySlices) and regenerates the view (AsStridedBackward0)', () => {
    const a = torch.tensor([1, 1], { requiresGrad: true });
    const y = a.mul(2);
    const v = y.select(0, 0);
    const before = gradFn(v);
    v.mul_(3);
    const got = { view_before: before, base: gradFn(y), view: gradFn(v) };
    y.sum().backward();
    expect({ ...got, a_grad: values(a.grad) }).toEqual(golden.select_mul_);
  });

  it('the masking idiom b[1] = 0', () => {
    const b = torch.tensor([1, 2, 3], { requiresGrad: true });
    const c = b.mul(1);
    c.index(1).fill_(0);
    const base = gradFn(c);
    c.sum().backward();
    expect({ base, b_grad: values(b.grad) }).toEqual(golden.index_fill);
  });

  it("refuses to write through a view of a leaf that requires grad, with PyTorch's message", () => {
    const leaf = torch.ones(3, { requiresGrad: true });
    expect(() => leaf.index(0).mul_(2)).toThrow(golden.leaf_view_error.message);
    // Under noGrad it is allowed, as in PyTorch (initializers write parameters this way).
    torch.noGrad(() => leaf.index(0).mul_(2));
    expect(leaf.tolist()).toEqual([2, 1, 1]);
  });

  it('copy_ into a slice is differentiable', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const s = y.index('0:1');
    s.copy_(x.index('1:').mul(5));
    const got = { view: gradFn(s), base: gradFn(y) };
    y.sum().backward();
    expect({ ...got, x_grad: values(x.grad) }).toEqual(golden.copy_into_slice);
  });

  it('writing a value that requires grad into a plain tensor makes it require grad', () => {
    const w = torch.tensor(2, { dtype: 'float32', requiresGrad: true });
    const z = torch.zeros(3);
    z.index(0).copy_(w.mul(2));
    const got = { base: gradFn(z), requires_grad: z.requiresGrad, later_view: gradFn(z.index('1:')) };
    z.mul(z).sum().backward();
    expect({ ...got, w_grad: w.grad?.item() }).toEqual(golden.zeros_assign);
  });

  it("a view made before the write sees the base's new history", () => {
    const w = torch.tensor(2, { dtype: 'float32', requiresGrad: true });
    const z2 = torch.zeros(3);
    const old = z2.index('1:');
    z2.index(0).copy_(w.mul(3));
    const got = { view: gradFn(old), requires_grad: old.requiresGrad };
    z2.sum().mul(old.sum().add(1)).backward();
    expect({ ...got, w_grad: w.grad?.item() }).toEqual(golden.old_view);
  });

  it('the version counter still catches a saved tensor modified through a view', () => {
    const x = torch.tensor([0.5, 1.5], { requiresGrad: true });
    const y = x.exp();
    y.index(0).mul_(2);
    // PyTorch's message without its anomaly-detection hint, which Descent has no switch for.
    expect(() => y.sum().backward()).toThrow(golden.saved_modified.message.split(' Hint:')[0]);
  });

  it('a column multiplied in place by a tensor that requires grad', () => {
    const m0 = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const col = torch.tensor([2, 3], { requiresGrad: true });
    const m = m0.mul(1);
    m.index(':', 1).mul_(col);
    m.mul(m).sum().backward();
    expect({ m_grad: values(m0.grad), col_grad: values(col.grad) }).toEqual(golden.column_mul_);
  });

  it('a write through a transposed view', () => {
    const p = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const q = torch.tensor([10, 20], { requiresGrad: true });
    const y = p.mul(2);
    y.t().index(1).add_(q);
    y.pow(2).sum().backward();
    expect({ p_grad: values(p.grad), q_grad: values(q.grad), base: gradFn(y) }).toEqual(golden.transposed_add_);
  });

  it('a write through a view of a view', () => {
    const p = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = p.mul(1);
    const v = y.index(1);
    v.index('1:').mul_(3);
    y.mul(y).sum().backward();
    expect({ p_grad: values(p.grad) }).toEqual(golden.view_of_view);
  });

  it('zero_, fill_ and copy_ replace the old values: their gradient is zero', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const outs: Record<string, unknown> = {};
    for (const name of ['zero_', 'fill_', 'copy_'] as const) {
      const y = x.mul(2);
      if (name === 'zero_') y.zero_();
      else if (name === 'fill_') y.fill_(1);
      else y.copy_(x.mul(3));
      outs[name] = gradFn(y);
      x.grad = null;
      y.mul(x).sum().backward();
      outs[name + 'grad'] = values(x.grad);
    }
    expect(outs).toEqual(golden.replacing_writes);
  });

  it('double backward through slice and select', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const [g1] = torch.autograd.grad(x.pow(3).index('1:').sum(), x, { createGraph: true });
    const [g2] = torch.autograd.grad((g1 as Tensor).select(0, 2), x, { createGraph: true });
    expect({ g1: values(g1), g2: values(g2), g2_fn: gradFn(g2 as Tensor) }).toEqual(golden.double_backward_views);
  });
});
