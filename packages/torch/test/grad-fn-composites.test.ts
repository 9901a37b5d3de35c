import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// What `print(out)` shows as grad_fn for the layers, losses and activations Descent composes from smaller ops:
// PyTorch runs one kernel for each (`NativeLayerNormBackward0`, `NllLossBackward0`, ...) and prints its name.
// Golden names from real PyTorch 1.13: fixtures/gen_grad_fn_composites.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('grad-fn-composites', new URL('./fixtures/', import.meta.url));
const F = torch.nn.functional;

describe("grad_fn names of composed layers, losses and activations, as PyTorch 1.13's", () => {
  it('names each as the PyTorch op it stands for', () => {
    torch.manualSeed(0);
    const x = torch.randn(4, 6).requiresGrad_();
    const x3 = torch.randn(2, 3, 8).requiresGrad_();
    const x4 = torch.randn(2, 3, 4, 4).requiresGrad_();
    const t = torch.randint(0, 6, [4]);
    const cases: Record<string, () => torch.Tensor> = {
      layer_norm: () => F.layerNorm(x, [6]),
      layer_norm_module: () => new torch.nn.LayerNorm(6)(x),
      layer_norm_3d: () => F.layerNorm(x3, [8]),
      batch_norm_train: () => new torch.nn.BatchNorm2d(3)(x4),
      batch_norm_eval: () => new torch.nn.BatchNorm2d(3).eval()(x4),
      batch_norm_1d: () => new torch.nn.BatchNorm1d(6)(x),
      batch_norm_no_affine: () => new torch.nn.BatchNorm2d(3, { affine: false })(x4),
      group_norm: () => new torch.nn.GroupNorm(3, 3)(x4),
      instance_norm: () => new torch.nn.InstanceNorm2d(3)(x4),
      embedding: () => new torch.nn.Embedding(10, 3)(torch.tensor([1, 2])),
      embedding_padding: () => new torch.nn.Embedding(10, 3, { paddingIdx: 0 })(torch.tensor([[1, 0]])),
      bce: () => F.binaryCrossEntropy(x.sigmoid(), torch.rand(4, 6)),
      bce_none: () => F.binaryCrossEntropy(x.sigmoid(), torch.rand(4, 6), { reduction: 'none' }),
      bce_logits: () => F.binaryCrossEntropyWithLogits(x, torch.rand(4, 6)),
      bce_logits_pos_weight: () => F.binaryCrossEntropyWithLogits(x, torch.rand(4, 6), { posWeight: torch.rand(6) }),
      nll: () => F.nllLoss(x.logSoftmax(1), t),
      nll_none: () => F.nllLoss(x.logSoftmax(1), t, { reduction: 'none' }),
      nll_4d: () => F.nllLoss(x4, torch.randint(0, 3, [2, 4, 4])),
      nll_3d_none: () => F.nllLoss(x3, torch.randint(0, 3, [2, 8]), { reduction: 'none' }),
      cross_entropy: () => F.crossEntropy(x, t),
      cross_entropy_3d: () => F.crossEntropy(x3, torch.randint(0, 3, [2, 8])),
      smooth_l1: () => F.smoothL1Loss(x, torch.zeros(4, 6)),
      huber: () => F.huberLoss(x, torch.zeros(4, 6), { reduction: 'sum' }),
      elu: () => F.elu(x, 0.5),
      softplus: () => F.softplus(x, { beta: 2 }),
      hardtanh: () => F.hardtanh(x, -2, 2),
      relu6: () => F.relu6(x),
      max_pool2d: () => F.maxPool2d(x4, 2),
      max_pool2d_indices: () => F.maxPool2d(x4, 2, { returnIndices: true })[0],
      max_pool1d: () => F.maxPool1d(x3, 2),
      avg_pool2d: () => F.avgPool2d(x4, 2),
      avg_pool1d: () => F.avgPool1d(x3, 2),
      logsumexp: () => torch.logsumexp(x, 1),
      logsumexp_keepdim: () => torch.logsumexp(x, 1, { keepdim: true }),
      rsub: () => torch.sub(1, x),
      rsub_function: () => torch.rsub(x, 2.5),
      rsub_tensor: () => torch.rsub(x, torch.ones(4, 6)),
    };
    const names = Object.fromEntries(Object.entries(cases).map(([key, f]) => [key, f().gradFn!.name()]));
    expect(names).toEqual(golden.names);
    expect(String(F.nllLoss(torch.tensor([[-1.0, -2.0]], { requiresGrad: true }), torch.tensor([1])))).toBe(golden.printed_nll);
  });

  it('renames only the node the composite made: a layer that hands its input back keeps the input\'s node', () => {
    const x = torch.randn(3).requiresGrad_();
    const y = x.mul(2);
    expect(torch.presentAs(y, 'Renamed', [y]).gradFn!.name()).toBe('MulBackward0');
    expect(torch.presentAs(y, 'Renamed', [x]).gradFn!.name()).toBe('Renamed');
  });
});
