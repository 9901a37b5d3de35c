import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import { SGD } from '@descent/optim';

interface Case {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** SGD op by op, as optim's composed path (and PyTorch 1.13's `_single_tensor_sgd`) writes it. */
function composedSteps(param: torch.Tensor, grads: torch.Tensor[], c: Case): void {
  let buf: torch.Tensor | null = null;
  torch.noGrad(() => {
    for (const grad of grads) {
      let d = c.maximize ? grad.neg() : grad;
      if (c.weightDecay !== 0) d = d.add(param, { alpha: c.weightDecay });
      if (c.momentum !== 0) {
        if (buf === null) buf = d.clone();
        else buf.mul_(c.momentum).add_(d, { alpha: 1 - c.dampening });
        d = c.nesterov ? d.add(buf, { alpha: c.momentum }) : buf;
      }
      param.add_(d, { alpha: -c.lr });
    }
  });
}

const bits = (t: torch.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

describe('the CPU backend fused SGD step', () => {
  it('is used on the CPU', () => {
    expect(torch.cpu.supports('sgdUpdate')).toBe(true);
  });

  it('gives the bits of the composed step for every option', () => {
    const cases: Case[] = [];
    for (const momentum of [0, 0.9])
      for (const dampening of momentum === 0 ? [0] : [0, 0.1])
        for (const nesterov of momentum === 0 || dampening !== 0 ? [false] : [false, true])
          for (const weightDecay of [0, 0.01])
            for (const maximize of [false, true]) for (const lr of [0.1, 0.0137]) cases.push({ lr, momentum, dampening, weightDecay, nesterov, maximize });
    for (const c of cases) {
      torch.manualSeed(3);
      const start = torch.randn(1000);
      const grads = [torch.randn(1000), torch.randn(1000).mul(1e-3), torch.randn(1000).mul(50)];
      const fused = start.clone().requiresGrad_();
      const optimizer = new SGD([fused], c);
      for (const g of grads) {
        fused.grad = g.clone();
        optimizer.step();
      }
      const composed = start.clone();
      composedSteps(composed, grads, c);
      expect(bits(fused), JSON.stringify(c)).toEqual(bits(composed));
      expect(bits(fused)).not.toEqual(bits(start));
    }
  });

  it('gives the composed bits on parameters large enough for the Wasm kernel, special values included', () => {
    // 40,003 floats: more than two of the kernel's chunks, and a tail that is not whole vectors.
    torch.manualSeed(5);
    const n = 40_003;
    const start = torch.randn(n).mul(3);
    const grad = torch.randn(n);
    const g = grad.dataSync() as Float32Array;
    const p = start.dataSync() as Float32Array;
    [g[0], g[7], g[40_002], p[1], p[20_000]] = [NaN, Infinity, -Infinity, 3e38, 1e-40];
    [g[1], g[2], g[3]] = [3e38, 1e-45, -0];
    for (const lr of [0.1, 0.0137]) {
      const fused = start.clone().requiresGrad_();
      fused.grad = grad.clone();
      new SGD([fused], { lr }).step();
      const composed = start.clone();
      composedSteps(composed, [grad], { lr, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
      expect(bits(fused)).toEqual(bits(composed));
      expect(bits(fused)).not.toEqual(bits(start));
    }
  });
});
