import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import * as F from '../src/functional/index.js';
import { expectLikePyTorch, expectSameAs, keywordGolden } from './keyword-golden.js';

// d2l.ai and the tutorials write required arguments by keyword: `nn.Conv2d(1, 6, kernel_size=5, padding=2)`,
// `nn.MaxPool2d(kernel_size=2, stride=2)`, `F.conv2d(x, w, bias=None, padding=1)`. Each failed ("value is not
// iterable", "bias.numel is not a function"). fixtures/gen_keyword_required.py.
const golden = keywordGolden;

describe('conv and pooling layers take their required arguments by keyword', () => {
  it('builds what PyTorch builds', () => {
    expectLikePyTorch('conv2d_k', () => new nn.Conv2d(1, 6, { kernelSize: 5, padding: 2 }));
    expectLikePyTorch('conv2d_all', () => new nn.Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3 }));
    expectLikePyTorch('conv1d', () => new nn.Conv1d(3, 4, { kernelSize: 3 }));
    expectLikePyTorch('conv_t2d', () => new nn.ConvTranspose2d(3, 4, { kernelSize: 2, stride: 2 }));
    expectLikePyTorch('conv_t1d', () => new nn.ConvTranspose1d({ inChannels: 2, outChannels: 3, kernelSize: 3, bias: false }));
    expectLikePyTorch('max_pool2d', () => new nn.MaxPool2d({ kernelSize: 2, stride: 2 }));
    expectLikePyTorch('avg_pool2d', () => new nn.AvgPool2d({ kernelSize: 2, stride: 2 }));
    expectLikePyTorch('max_pool1d', () => new nn.MaxPool1d({ kernelSize: 3, stride: 1, padding: 1 }));
    expectLikePyTorch('avg_pool1d', () => new nn.AvgPool1d({ kernelSize: 2 }));
    expectLikePyTorch('adaptive_avg_pool2d', () => new nn.AdaptiveAvgPool2d({ outputSize: [1, 1] }));
    expectLikePyTorch('adaptive_max_pool1d', () => new nn.AdaptiveMaxPool1d({ outputSize: 2 }));
  });

  it('builds what the positional form builds', () => {
    expectSameAs(() => new nn.Conv2d(1, { outChannels: 6, kernelSize: [5, 3], groups: 1 }), () => new nn.Conv2d(1, 6, [5, 3], 1, 0, 1, 1));
    expectSameAs(() => new nn.ConvTranspose2d({ inChannels: 2, outChannels: 4, kernelSize: 3, groups: 2 }), () => new nn.ConvTranspose2d(2, 4, 3, 1, 0, 0, 2));
    expectSameAs(() => new nn.MaxPool2d({ kernelSize: 3, ceilMode: true }), () => new nn.MaxPool2d(3, null, 0, 1, false, true));
    expectSameAs(() => new nn.AdaptiveMaxPool2d({ outputSize: [2, 2], returnIndices: true }), () => new nn.AdaptiveMaxPool2d([2, 2], true));
    const pool = new nn.AdaptiveMaxPool2d({ outputSize: 1, returnIndices: true });
    expect(pool.returnIndices).toBe(true);
  });

  it("raises Python's TypeErrors", () => {
    const Conv2d = nn.Conv2d as unknown as new (...args: unknown[]) => nn.Module;
    expect(() => new Conv2d(1, 6)).toThrow(golden.errors.conv2d_missing);
    expect(() => new Conv2d(1, 6, 5, { kernelSize: 5 })).toThrow(golden.errors.conv2d_twice);
    expect(() => new Conv2d(1, 6, { kernelSize: 5, kernel: 5 })).toThrow(golden.errors.conv2d_unexpected);
    const MaxPool2d = nn.MaxPool2d as unknown as new (...args: unknown[]) => nn.Module;
    expect(() => new MaxPool2d({ stride: 2 })).toThrow("MaxPool2d.__init__() missing 1 required positional argument: 'kernel_size'");
    expect(() => new nn.AdaptiveAvgPool2d({} as never)).toThrow("AdaptiveAvgPool2d.__init__() missing 1 required positional argument: 'output_size'");
  });
});

describe('conv and pooling functions take keywords', () => {
  const f = golden.f;
  const x = torch.tensor(f.x, { dtype: 'float32' }).reshape([1, 2, 4, 4]);
  const w = torch.tensor(f.w, { dtype: 'float32' }).reshape([3, 2, 3, 3]);
  const expectValues = (t: torch.Tensor, want: number[]) => (t.flatten().tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));

  it("gives PyTorch's values", () => {
    expectValues(F.conv2d(x, w, { bias: null, padding: 1 }), f.conv2d);
    expectValues(F.conv2d(x, w, null, 1, { padding: 1 }), f.conv2d);
    expectValues(F.maxPool2d(x, { kernelSize: 2 }), f.max_pool2d);
    expectValues(F.avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1 }), f.avg_pool2d);
    expectValues(F.avgPool2d(x, 3, 1, { padding: 1 }), f.avg_pool2d);
    expectValues(F.adaptiveAvgPool2d(x, { outputSize: [2, 1] }), f.adaptive_avg_pool2d);
    const [out, indices] = F.maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expect(out.tolist()).toEqual(F.maxPool2d(x, 2).tolist());
    expect(indices.shape).toEqual([1, 2, 2, 2]);
    expect(F.adaptiveMaxPool2d(x, { outputSize: 2, returnIndices: true })[1].shape).toEqual([1, 2, 2, 2]);
  });

  it("raises Python's TypeErrors", () => {
    expect(() => (F.maxPool2d as (...a: unknown[]) => unknown)(x)).toThrow("max_pool2d() missing 1 required positional argument: 'kernel_size'");
    expect(() => F.conv2d(x, w, null, { bias: null } as never)).toThrow("conv2d() got multiple values for argument 'bias'");
    expect(() => F.avgPool1d(x.index(0), 2, { divisorOverride: 2 } as never)).toThrow("avg_pool1d() got an unexpected keyword argument 'divisorOverride'");
  });
});
