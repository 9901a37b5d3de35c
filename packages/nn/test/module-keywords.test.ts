import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';

/** `nn.Softmax(dim=1)`, `nn.Flatten(start_dim=2)`: the keyword forms a translation writes as an options object. */
describe('module constructor keywords', () => {
  const x = torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 9]]], { dtype: 'float32' });

  it('Softmax, LogSoftmax and Softmin take dim as a keyword, print it and use it', () => {
    expect(String(new nn.Softmax({ dim: 1 }))).toBe('Softmax(dim=1)');
    expect(new nn.Softmax({ dim: 1 }).forward(x).tolist()).toEqual(new nn.Softmax(1).forward(x).tolist());
    expect(String(new nn.LogSoftmax({ dim: 2 }))).toBe('LogSoftmax(dim=2)');
    expect(new nn.Softmin({ dim: 0 }).forward(x).tolist()).toEqual(new nn.Softmin(0).forward(x).tolist());
    expect(() => new nn.Softmax({ axis: 1 } as never)).toThrow("Softmax.__init__() got an unexpected keyword argument 'axis'");
  });

  it('Flatten takes startDim and endDim as keywords', () => {
    expect(String(new nn.Flatten({ startDim: 2 }))).toBe('Flatten(start_dim=2, end_dim=-1)');
    expect(new nn.Flatten({ startDim: 0, endDim: 1 }).forward(x).shape).toEqual([4, 2]);
  });
});
