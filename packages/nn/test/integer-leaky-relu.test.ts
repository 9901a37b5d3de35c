import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { loadFixture } from './fixtures.js';

// Leaky ReLU of an integer or bool tensor: PyTorch 1.13 has no kernel for it and raises. Descent rounded the slope
// to the integer dtype and returned 0 for every negative value. fixtures/gen_integer_leaky_relu.py.
const F = nn.functional;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('integer-leaky-relu', new URL('./fixtures/', import.meta.url));

const CALLS: Record<string, (x: torch.Tensor) => torch.Tensor> = {
  'F.leaky_relu': (x) => F.leakyRelu(x),
  'F.leaky_relu(x, 0.5)': (x) => F.leakyRelu(x, 0.5),
  'F.leaky_relu(x, 0.2, True)': (x) => F.leakyRelu(x, 0.2, true),
  'F.leaky_relu_': (x) => F.leakyRelu_(x),
  'nn.LeakyReLU()': (x) => new nn.LeakyReLU()(x),
  'nn.LeakyReLU(0.1, True)': (x) => new nn.LeakyReLU(0.1, true)(x),
};

describe('leaky ReLU of integer tensors raises as in PyTorch 1.13', () => {
  it.each((golden.cases as { call: string; dtype: torch.DType; error: string }[]).map((c) => [c.call, c.dtype, c] as const))(
    '%s on %s',
    (_call, _dtype, { call, dtype, error }) => {
      const x = torch.tensor([-3, 0, 5], { dtype });
      expect(() => CALLS[call](x)).toThrow(error);
      expect(x.tolist()).toEqual(torch.tensor([-3, 0, 5], { dtype }).tolist()); // an in-place call left it alone
    },
  );

  it('floats are unchanged', () => {
    expect(F.leakyRelu(torch.tensor([-2, 0, 4]).float(), 0.5).tolist()).toEqual([-1, 0, 4]);
  });
});
