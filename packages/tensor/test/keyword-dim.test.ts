import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

/**
 * PyTorch takes `dim` as a keyword too (`x.sum(dim=1, keepdim=True)`, `torch.cat(xs, dim=1)`,
 * `F.softmax(x, dim=1)`), and NumPy's `axis` for reductions: a translation writes them in the trailing options
 * object, and gets the positional call's result.
 */
describe('dim given as a keyword in the options object', () => {
  const x = torch.tensor([[3, 1, 2], [0, 5, 4]], { dtype: 'float32' });
  const same = (a: torch.Tensor, b: torch.Tensor) => {
    expect(a.shape).toEqual(b.shape);
    expect(a.tolist()).toEqual(b.tolist());
  };

  it('reductions: sum, mean, prod, var, std, amax, amin, argmax, argmin, all, any, logsumexp', () => {
    same(x.sum({ dim: 1, keepdim: true }), x.sum(1, { keepdim: true }));
    same(x.sum({ axis: 0 }), x.sum(0));
    expect(x.sum({ dim: 1 }).tolist()).toEqual([6, 9]);
    same(x.mean({ dim: [0, 1] }), x.mean([0, 1]));
    same(x.prod({ dim: 1 }), x.prod(1));
    same(x.var({ dim: 1, correction: 0 }), x.var(1, { correction: 0 }));
    same(x.std({ dim: 0, unbiased: false }), x.std(0, { unbiased: false }));
    same(x.amax({ dim: 1 }), x.amax(1));
    same(x.amin({ dim: 0, keepdim: true }), x.amin(0, { keepdim: true }));
    expect(x.argmax({ dim: 1 }).tolist()).toEqual([0, 1]);
    same(x.argmin({ axis: 1 }), x.argmin(1));
    same(x.gt(1).all({ dim: 1 }), x.gt(1).all(1));
    same(x.gt(4).any({ dim: 0 }), x.gt(4).any(0));
    same(x.logsumexp({ dim: 1 }), x.logsumexp(1));
  });

  it('max/min with a keyword dim give values and indices', () => {
    const m = x.max({ dim: 1, keepdim: true });
    expect(m.values.tolist()).toEqual([[3], [5]]);
    expect(m.indices.tolist()).toEqual([[0], [1]]);
    expect(x.min({ dim: 0 }).values.tolist()).toEqual([0, 1, 2]);
  });

  it("take NumPy's keepdims for keepdim, as PyTorch's native functions do (d2l: `X_exp.sum(1, keepdims=True)`)", () => {
    // x.sum(1, keepdims=True) -> tensor([[6.], [9.]]); x.sum(axis=0, keepdims=True).shape -> torch.Size([1, 3])
    expect(x.sum(1, { keepdims: true }).tolist()).toEqual([[6], [9]]);
    expect(x.sum({ axis: 0, keepdims: true }).shape).toEqual([1, 3]);
    // x.mean(0, keepdims=True), x.var(1, keepdims=True), x.argmax(1, keepdims=True), x.max(1, keepdims=True)
    expect(x.mean(0, { keepdims: true }).shape).toEqual([1, 3]);
    expect(x.var(1, { keepdims: true }).shape).toEqual([2, 1]);
    expect(x.argmax(1, { keepdims: true }).tolist()).toEqual([[0], [1]]);
    expect(x.max(1, { keepdims: true }).values.tolist()).toEqual([[3], [5]]);
    expect(torch.sum(x, { dim: 1, keepdims: true }).shape).toEqual([2, 1]);
    expect(() => x.sum(1, { keepdim: true, keepdims: true })).toThrow(TypeError);
  });

  it('torch.max/torch.min take the keyword dim too (d2l: `torch.max(jaccard, dim=1)`)', () => {
    // torch.max(x, dim=1, keepdim=True) -> values [[3.], [5.]], indices [[0], [1]]
    const [values, indices] = torch.max(x, { dim: 1, keepdim: true });
    expect(values.tolist()).toEqual([[3], [5]]);
    expect(indices.tolist()).toEqual([[0], [1]]);
    // torch.min(x, dim=0) -> values [0., 1., 2.], indices [1, 0, 0]
    expect(torch.min(x, { dim: 0 }).indices.tolist()).toEqual([1, 0, 0]);
    expect(torch.max(x, torch.ones(3)).tolist()).toEqual([[3, 1, 2], [1, 5, 4]]);
  });

  it('softmax, cumulative ops, sorting, cat and stack', () => {
    same(x.softmax({ dim: 1 }), x.softmax(1));
    same(torch.logSoftmax(x, { dim: 0 }), torch.logSoftmax(x, 0));
    same(x.cumsum({ dim: 1 }), x.cumsum(1));
    same(x.cumprod({ dim: 0 }), x.cumprod(0));
    same(x.sort({ dim: 1, descending: true }).values, x.sort(1, { descending: true }).values);
    same(x.argsort({ dim: 0 }), x.argsort(0));
    same(x.topk(2, { dim: 1, largest: false }).values, x.topk(2, 1, { largest: false }).values);
    same(torch.cat([x, x], { dim: 1 }), torch.cat([x, x], 1));
    same(torch.stack([x, x], { dim: 2 }), torch.stack([x, x], 2));
  });

  it('norm, chunk, split, flatten, squeeze, unsqueeze and the order statistics', () => {
    // norm's keywords must not read as a norm order (before, x.norm({ dim: 1 }) returned the norm of everything).
    same(x.norm({ dim: 1 }), x.norm(2, 1));
    same(x.norm({ p: 1, dim: 0, keepdim: true }), x.norm(1, 0, { keepdim: true }));
    expect(x.chunk(3, { dim: 1 }).map((t) => t.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    expect(x.split(2, { dim: 1 }).map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
    const y = torch.zeros(2, 3, 4);
    expect(y.flatten({ startDim: 1 }).shape).toEqual([2, 12]);
    expect(y.unsqueeze({ dim: 0 }).shape).toEqual([1, 2, 3, 4]);
    expect(y.unsqueeze(1).squeeze({ dim: 1 }).shape).toEqual([2, 3, 4]);
    same(x.median({ dim: 1 }).values, x.median(1).values);
    same(x.mode({ dim: 0 }).values, x.mode(0).values);
    same(x.kthvalue(2, { dim: 1, keepdim: true }).values, x.kthvalue(2, 1, { keepdim: true }).values);
  });

  it('says what is wrong: an unknown keyword, dim and axis both, a missing required dim', () => {
    expect(() => x.sum({ dims: 1 } as never)).toThrow("sum() got an unexpected keyword argument 'dims'");
    expect(() => x.sum({ dim: 1, axis: 1 })).toThrow('sum() received both dim and its alias axis');
    expect(() => x.softmax({})).toThrow("softmax() missing 1 required positional argument: 'dim'");
    expect(() => x.norm({ ord: 2 } as never)).toThrow("norm() got an unexpected keyword argument 'ord'");
    expect(() => x.flatten({ start_dim: 1 } as never)).toThrow("flatten() got an unexpected keyword argument 'start_dim'");
    expect(() => torch.cat([x, x], { dims: 1 } as never)).toThrow("cat() got an unexpected keyword argument 'dims'");
    // PyTorch takes NumPy's axis for cat too.
    same(torch.cat([x, x], { axis: 1 }), torch.cat([x, x], 1));
  });
});
