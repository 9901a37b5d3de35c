import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `torch.tensor([R])` with R a 0-d tensor (pytorch/examples actor_critic.py) raised "unsupported element"; PyTorch
// reads each one-element tensor as its value and promotes its dtype with the rest. fixtures/gen_tensor_from_tensors.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tensor-from-tensors', new URL('./fixtures/', import.meta.url));

const x = torch.tensor(2.0, { requiresGrad: true });
const f = (v: number | number[] | number[][], dtype: torch.DType = 'float32') => torch.tensor(v, { dtype });
const CASES: Record<string, () => torch.Tensor> = {
  zero_dim_float: () => torch.tensor([f(0.5)]),
  with_grad: () => torch.tensor([x.mul(3)]),
  int_and_number: () => torch.tensor([torch.tensor(1), 2]),
  int_and_float: () => torch.tensor([torch.tensor(1), 2.5]),
  float64_and_int: () => torch.tensor([f(1.5, 'float64'), 2]),
  int32: () => torch.tensor([torch.tensor(3, { dtype: 'int32' })]),
  bool: () => torch.tensor([torch.tensor(true), torch.tensor(false)]),
  one_element_1d: () => torch.tensor([f([1.5])]),
  nested: () => torch.tensor([[f(1)], [f(2)]]),
  dtype_given: () => torch.tensor([f(1.5)], { dtype: 'float64' }),
  copy: () => torch.tensor(f([[1.5, 2.0]]).requiresGrad_()),
  copy_dtype: () => torch.tensor(torch.tensor([1, 2]), { dtype: 'float32' }),
  two_elements: () => torch.tensor([f([1, 2]), f([3, 4])]),
};

describe('torch.tensor over tensors, as in PyTorch', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const want = golden[name];
      if (want.error) {
        expect(make).toThrow(want.error);
        return;
      }
      const t = make();
      expect(t.shape).toEqual(want.shape);
      expect(t.dtype).toBe(want.dtype);
      expect(t.requiresGrad).toBe(want.requires_grad);
      expect(Array.from(t.dataSync() as ArrayLike<number | bigint | boolean>, (v) => (want.dtype === 'bool' ? Boolean(v) : Number(v)))).toEqual(want.data);
    });
  }

  it('copies: a later write to the source does not show', () => {
    const src = f([1, 2]);
    const copy = torch.tensor(src);
    src.fill_(0);
    expect(copy.tolist()).toEqual([1, 2]);
  });
});
