import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

// `x.max(1)[0]` and `x.topk(2)[1]`: PyTorch's (values, indices) named tuples index as well as unpack.
describe('(values, indices) results index like a Python named tuple', () => {
  it('gives values at [0] and indices at [1], and unpacks', () => {
    const x = torch.tensor([[1, 5, 3], [4, 2, 6]], { dtype: 'float32' });
    const max = x.max(1);
    expect(max[0].tolist()).toEqual([5, 6]);
    expect(max[1].dtype).toBe('int64');
    expect(max[1].tolist()).toEqual([1, 2]);
    expect(max.length).toBe(2);
    const [values, indices] = x.topk(2);
    expect(values.tolist()).toEqual(x.topk(2)[0].tolist());
    expect(indices.tolist()).toEqual(x.topk(2)[1].tolist());
    expect(x.sort(1)[0].tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
  });
});
