import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

// `torch.nn.utils.clipGradNorm_` / `clipGradValue_`, where PyTorch has them (they live in @descent/optim, which
// `torch.optim` also exports). Values from PyTorch 1.13: clip_grad_norm_ of the grads [3, 4] and [12] (norm 13) to 1.

describe('torch.nn.utils', () => {
  it('is the same gradient clipping as torch.optim', () => {
    expect(torch.nn.utils.clipGradNorm_).toBe(torch.optim.clipGradNorm_);
    expect(torch.nn.utils.clipGradValue_).toBe(torch.optim.clipGradValue_);
    expect(typeof torch.nn.Linear).toBe('function');
  });

  it('clipGradNorm_ scales the gradients in place and returns the total norm', () => {
    const w = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = torch.tensor([3], { dtype: 'float32', requiresGrad: true });
    w.grad = torch.tensor([3, 4], { dtype: 'float32' });
    b.grad = torch.tensor([12], { dtype: 'float32' });
    const total = torch.nn.utils.clipGradNorm_([w, b], 1.0);
    expect(total.item()).toBe(13);
    // PyTorch's clipped gradients: grad * (1 / (13 + 1e-6)).
    const clipped = [...(w.grad!.dataSync() as Float32Array), b.grad!.item()];
    [0.23076921701431274, 0.307692289352417, 0.923076868057251].forEach((expected, i) => expect(clipped[i]).toBeCloseTo(expected, 7));
  });

  it('clipGradValue_ clamps a model\'s gradients', () => {
    torch.manualSeed(0);
    const model = new torch.nn.Linear(3, 2);
    torch.nn.functional.mseLoss(model.forward(torch.randn(4, 3).mul(10)), torch.zeros(4, 2)).backward();
    torch.nn.utils.clipGradValue_(model.parameters(), 0.5);
    for (const p of model.parameters()) {
      expect(Math.max(...(p.grad!.abs().dataSync() as Float32Array))).toBeLessThanOrEqual(0.5);
    }
  });

  it('has parametersToVector, vectorToParameters and the rnn packing helpers where PyTorch has them', () => {
    const model = new torch.nn.Linear(2, 1);
    const vec = torch.nn.utils.parametersToVector(model.parameters());
    expect(vec.shape).toEqual([3]);
    torch.nn.utils.vectorToParameters(torch.zeros(3), model.parameters());
    expect(model.weight.tolist()).toEqual([[0, 0]]);
    const { rnn } = torch.nn.utils;
    const packed = rnn.packSequence([torch.ones(3, 2), torch.ones(1, 2)]);
    expect(packed).toBeInstanceOf(rnn.PackedSequence);
    expect(packed.batchSizes.tolist()).toEqual([2, 1, 1]);
    const [padded, lengths] = rnn.padPackedSequence(packed, { batchFirst: true });
    expect(padded.shape).toEqual([2, 3, 2]);
    expect(lengths.tolist()).toEqual([3, 1]);
    expect(rnn.padSequence([torch.ones(2), torch.ones(1)]).tolist()).toEqual([[1, 1], [1, 0]]);
    expect(rnn.packPaddedSequence(torch.ones(3, 2), [3, 1]).data.shape).toEqual([4]);
  });
});
