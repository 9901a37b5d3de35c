import { describe, expect, it } from 'vitest';
import { grad } from '@descent/autograd';
import * as torch from '@descent/tensor';

const f32 = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32' });
const leaf = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32', requiresGrad: true });
// Every tensor read here is float32 (built by f32/leaf, or a grad of one).
const values = (t: torch.Tensor | null) => Array.from(t!.dataSync() as Float32Array);

describe('autograd semantics (PyTorch behaviour)', () => {
  it('gives a transposed matmul operand a contiguous gradient, as PyTorch mm_mat1/mm_mat2_backward do', () => {
    // nn.Linear's pattern, x @ w.t() + b; values from PyTorch 1.13, where w.grad has strides (3, 1).
    const x = leaf([[1, 2, 3], [4, 5, 6]]);
    const w = leaf([[0.5, -1, 2], [1, 0, -0.5]]);
    const b = leaf([0.1, 0.2]);
    const a = leaf([[1, 2], [3, 4], [5, 6]]); // column-major first operand: a.t() @ ...
    const g = f32([[1, -2], [3, 0.5]]);
    torch.addmm(b, x, w.t()).mul(g).sum().backward();
    a.t().mm(f32([[1, 0], [2, 1], [0, 3]])).mul(g).sum().backward();
    expect(w.grad!.isContiguous()).toBe(true);
    expect(w.grad!.stride()).toEqual([3, 1]);
    expect(values(w.grad)).toEqual([13, 17, 21, 0, -1.5, -3]);
    expect(values(x.grad)).toEqual([-1.5, -1, 3, 2, -3, 5.75]);
    expect(a.grad!.isContiguous()).toBe(true);
    expect(values(a.grad)).toEqual([1, 3, 0, 6.5, -6, 1.5]);
  });

  it('accumulates .grad across backward calls until zeroed', () => {
    const w = leaf([1, 2, 3]);
    w.mul(2).sum().backward();
    w.mul(2).sum().backward();
    expect(values(w.grad)).toEqual([4, 4, 4]);
    w.grad!.zero_();
    w.mul(w).sum().backward();
    expect(values(w.grad)).toEqual([2, 4, 6]);
  });

  it('gives leaves .grad and non-leaves none unless retainGrad()', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3);
    const z = x.mul(4);
    z.retainGrad();
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    y.add(z).sum().backward();
    expect(y.grad).toBeNull();
    expect(values(z.grad)).toEqual([1, 1]);
    expect(values(x.grad)).toEqual([7, 7]);
  });

  it('names grad_fn nodes as PyTorch does', () => {
    const w = leaf([[1, 2, 3], [4, 5, 6]]);
    const x = f32([[1, 1, 1]]);
    expect(x.matmul(w.t()).gradFn!.name()).toBe('MmBackward0');
    expect(w.t().gradFn!.name()).toBe('TBackward0');
    expect(w.mul(2).add(1).gradFn!.name()).toBe('AddBackward0');
    expect(w.sum().gradFn!.name()).toBe('SumBackward0');
    expect(w.sum(1).gradFn!.name()).toBe('SumBackward1');
    expect(w.mean().gradFn!.name()).toBe('MeanBackward0');
    expect(w.pow(2).gradFn!.name()).toBe('PowBackward0');
    expect(w.sub(1).gradFn!.name()).toBe('SubBackward0');
    expect(w.view(6).gradFn!.name()).toBe('ViewBackward0');
    expect(w.exp().gradFn!.name()).toBe('ExpBackward0');
    expect(String(w.mul(2).add(1))).toContain('grad_fn=<AddBackward0>');
    expect(x.matmul(w.t()).gradFn!.next[1]!.name()).toBe('TBackward0');
    expect(w.t().gradFn!.next[0]!.name()).toBe('AccumulateGrad');
  });

  it('backward(gradient) on a non-scalar; a missing gradient is an error', () => {
    const x = leaf([1, 2, 3]);
    const y = x.mul(x);
    expect(() => y.backward()).toThrow('grad can be implicitly created only for scalar outputs');
    y.backward(f32([1, 0.5, 2]));
    expect(values(x.grad)).toEqual([2, 2, 12]);
  });

  it('frees saved tensors after backward; a second backward fails unless retainGraph', () => {
    const x = leaf([1, 2]);
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(values(x.grad)).toEqual([4, 8]);
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  it('backward on a tensor that does not require grad fails with PyTorch message', () => {
    expect(() => f32([1, 2]).sum().backward()).toThrow(
      'element 0 of tensors does not require grad and does not have a grad_fn',
    );
  });

  it('forbids in-place ops on a leaf that requires grad outside noGrad', () => {
    const w = leaf([1, 2]);
    expect(() => w.sub_(1)).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
    torch.noGrad(() => w.sub_(1));
    expect(values(w)).toEqual([0, 1]);
  });

  it('detects a saved tensor modified in place before backward', () => {
    const x = leaf([1, 2]);
    const y = x.exp();
    const z = y.mul(y);
    torch.noGrad(() => y.add_(1));
    expect(() => z.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it('in-place ops on non-leaves move the history to the tensor', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    y.add_(1);
    expect(y.gradFn!.name()).toBe('AddBackward0');
    y.sum().backward();
    expect(values(x.grad)).toEqual([2, 2]);
  });

  it('noGrad, enableGrad and detach stop or restart recording', () => {
    const x = leaf([1, 2]);
    const y = torch.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const z = torch.noGrad(() => torch.enableGrad(() => x.mul(2)));
    expect(z.requiresGrad).toBe(true);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('the notebook update: sub_ of grad * lr inside noGrad, then grad.zero_()', () => {
    const w = leaf([[0.5, -0.5]]);
    const x = f32([[1, 2]]);
    const loss = x.mul(w).sum();
    loss.backward();
    torch.noGrad(() => {
      w.sub_(w.grad!.mul(0.1));
      w.grad!.zero_();
    });
    expect(values(w)).toEqual([Math.fround(0.4), Math.fround(-0.7)]);
    expect(values(w.grad)).toEqual([0, 0]);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
  });

  it('grad() returns gradients without touching .grad, and supports higher order with createGraph', () => {
    const x = leaf([2]);
    const y = x.pow(3);
    const [dy] = grad(y, x, { createGraph: true });
    expect(values(dy)).toEqual([12]);
    const [d2y] = grad(dy!, x);
    expect(values(d2y)).toEqual([12]);
    expect(x.grad).toBeNull();
  });

  it('sums broadcast gradients back to each input shape', () => {
    const a = leaf([[1], [2]]);
    const b = leaf([10, 20, 30]);
    a.add(b).mul(a).sum().backward();
    expect(a.grad!.shape).toEqual([2, 1]);
    expect(values(a.grad)).toEqual([2 * 1 * 3 + 60, 2 * 2 * 3 + 60]);
    expect(values(b.grad)).toEqual([3, 3, 3]);
  });

  it('rejects requiresGrad on integer tensors', () => {
    expect(() => torch.tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    );
  });
});

describe('engine ordering', () => {
  it('a node that gets no gradient on one edge still passes on the others', () => {
    const a = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = a.mul(3);
    // cat of an empty 1-D tensor yields no gradient for it; b reaches the sum through both paths.
    const c = torch.cat([b, b.mul(0).index('0:0')]).sum().add(b.sum());
    c.backward();
    expect(Array.from(a.grad!.dataSync() as Float32Array)).toEqual([6, 6]);
  });
});
