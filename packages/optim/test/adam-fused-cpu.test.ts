import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import { Adam, AdamW } from '@descent/optim';

interface Case {
  lr: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  decoupled: boolean;
}

const BETAS: [number, number] = [0.9, 0.999];
const EPS = 1e-8;

/** Adam/AdamW op by op, as optim's composed path (PyTorch 1.13's `_single_tensor_adam(w)`) writes it. */
function composedSteps(param: torch.Tensor, grads: torch.Tensor[], c: Case): void {
  const [beta1, beta2] = BETAS;
  const expAvg = torch.zeros(param.shape);
  const expAvgSq = torch.zeros(param.shape);
  const maxExpAvgSq = torch.zeros(param.shape);
  torch.noGrad(() => {
    grads.forEach((paramGrad, index) => {
      const step = index + 1;
      let grad = c.maximize ? paramGrad.neg() : paramGrad;
      if (c.decoupled) param.mul_(1 - c.lr * c.weightDecay);
      else if (c.weightDecay !== 0) grad = grad.add(param, { alpha: c.weightDecay });
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const stepSize = c.lr / (1 - beta1 ** step);
      const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
      let second = expAvgSq;
      if (c.amsgrad) second = maxExpAvgSq.copy_(torch.maximum(maxExpAvgSq, expAvgSq));
      const denom = second.sqrt().div(biasCorrection2Sqrt).add_(EPS);
      param.add_(expAvg.mul(-stepSize).div(denom));
    });
  });
}

const bits = (t: torch.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

describe('the CPU backend fused Adam step', () => {
  it('is used on the CPU', () => {
    expect(torch.cpu.supports('adamUpdate')).toBe(true);
  });

  it('gives the bits of the composed step for Adam and AdamW with every option', () => checkAll(1000));

  // 40,003 floats: the Wasm kernel's size (more than two chunks, a tail that is not whole vectors) where it applies.
  it('gives the same bits on parameters large enough for the Wasm kernel', () => checkAll(40_003), 120_000);
});

/** Every Adam and AdamW option on `n` floats, fused against composed, bit for bit. */
function checkAll(n: number): void {
  const cases: Case[] = [];
  for (const decoupled of [false, true])
    for (const weightDecay of [0, 0.01])
      for (const amsgrad of [false, true]) for (const maximize of [false, true]) for (const lr of [1e-3, 0.1]) cases.push({ lr, weightDecay, amsgrad, maximize, decoupled });
  for (const c of cases) {
    torch.manualSeed(5);
    const start = torch.randn(n);
    const grads = [torch.randn(n), torch.randn(n).mul(1e-4), torch.randn(n).mul(30), torch.randn(n)];
    const fused = start.clone().requiresGrad_();
    const options = { lr: c.lr, betas: BETAS, eps: EPS, weightDecay: c.weightDecay, amsgrad: c.amsgrad, maximize: c.maximize };
    const optimizer = c.decoupled ? new AdamW([fused], options) : new Adam([fused], options);
    for (const g of grads) {
      fused.grad = g.clone();
      optimizer.step();
    }
    const composed = start.clone();
    composedSteps(composed, grads, c);
    expect(bits(fused), JSON.stringify(c)).toEqual(bits(composed));
    expect(bits(fused)).not.toEqual(bits(start));
  }
}
