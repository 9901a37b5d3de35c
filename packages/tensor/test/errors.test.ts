import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

describe('bad input gets PyTorch message (or a clearer one)', () => {
  it('mismatched matmul shapes', () => {
    expect(() => torch.ones(5, 3).matmul(torch.ones(2, 3))).toThrow('mat1 and mat2 shapes cannot be multiplied (5x3 and 2x3)');
    expect(() => torch.ones(5, 3).mm(torch.ones(2, 3))).toThrow('mat1 and mat2 shapes cannot be multiplied (5x3 and 2x3)');
    expect(() => torch.ones(3).matmul(torch.ones(4))).toThrow(/inconsistent tensor size, expected tensor \[3\] and src \[4\]/);
    expect(() => torch.ones(2, 2, 3).bmm(torch.ones(2, 2, 3))).toThrow(/Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[2, 2\]/);
    expect(() => torch.tensor(1).matmul(torch.ones(2))).toThrow('both arguments to matmul need to be at least 1D, but they are 0D and 1D');
  });

  it('non-broadcastable shapes', () => {
    expect(() => torch.ones(2, 3).add(torch.ones(4))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    );
    expect(() => torch.ones(2, 3).expand(4, 3)).toThrow(/The expanded size of the tensor \(4\) must match the existing size \(2\) at non-singleton dimension 0/);
  });

  it('out-of-range dims and indices', () => {
    expect(() => torch.ones(2, 3).sum(2)).toThrow('Dimension out of range (expected to be in range of [-2, 1], but got 2)');
    expect(() => torch.ones(2, 3).transpose(0, -3)).toThrow('Dimension out of range (expected to be in range of [-2, 1], but got -3)');
    expect(() => torch.ones(2, 3).select(1, 3)).toThrow('index 3 is out of bounds for dimension 1 with size 3');
    expect(() => torch.ones(2, 3).gather(1, torch.tensor([[0], [5]]))).toThrow('index 5 is out of bounds for dimension 1 with size 3');
    expect(() => torch.ones(2).index(0, 0)).toThrow('too many indices for tensor of dimension 1');
  });

  it('dtypes an op does not support', () => {
    expect(() => torch.tensor([true]).neg()).toThrow(/Negation, the `-` operator, on a bool tensor is not supported/);
    expect(() => torch.tensor([1, 2]).mean()).toThrow(/mean\(\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long/);
    expect(() => torch.ones(2, 2).mm(torch.ones(2, 2, { dtype: 'int32' }))).toThrow('expected m1 and m2 to have the same dtype, but got: float32 != int32');
    // matmul (Python's @) promotes integer data written without a decimal point instead.
    expect(torch.tensor([[1, 2]]).matmul(torch.ones(2, 1)).tolist()).toEqual([[3]]);
    expect(() => torch.tensor([1, 2]).gather(0, torch.tensor([0.5]))).toThrow(/Expected dtype int64 for index/);
    expect(() => torch.zeros(2, { dtype: 'complex64' as never })).toThrow(/Unsupported dtype 'complex64'/);
  });

  it('unknown devices name the known ones', () => {
    expect(() => torch.ones(2).to('tpu')).toThrow("Unknown device 'tpu'. Available devices: cpu.");
  });
});
