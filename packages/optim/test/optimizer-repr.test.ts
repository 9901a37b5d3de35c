import { describe, expect, it } from 'vitest';
import { ones, type Tensor } from '@descent/tensor';
import { Adagrad, Adam, AdamW, LBFGS, RMSprop, Rprop, SGD } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `print(optimizer)` against PyTorch 1.13 (fixtures/gen_optimizer_repr.py): hyperparameters under their Python
// names (`weight_decay`, not `weightDecay`), sorted, with the implementation flags PyTorch's groups hold
// (`differentiable`, `foreach`, `capturable`, `fused`).
const golden = loadFixture('optimizer-repr') as Record<string, string>;

describe('Optimizer toString', () => {
  const w = (): Tensor => ones(2).requiresGrad_(true);
  it('prints the hyperparameters as PyTorch names and sorts them', () => {
    expect(String(new SGD([w()], { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 }))).toBe(golden.sgd);
    expect(String(new Adam([w()], { lr: 0.05 }))).toBe(golden.adam);
    expect(String(new Adagrad([w()], { lrDecay: 0.1, initialAccumulatorValue: 0.5 }))).toBe(golden.adagrad);
    expect(String(new AdamW([w()]))).toBe(golden.adamw);
    expect(String(new RMSprop([w()], { centered: true }))).toBe(golden.rmsprop);
    expect(String(new Rprop([w()]))).toBe(golden.rprop);
    expect(String(new LBFGS([w()]))).toBe(golden.lbfgs);
    expect(String(new SGD([{ params: [w()], weightDecay: 0.1 }, { params: [ones(1).requiresGrad_(true)] }], { lr: 0.2 }))).toBe(golden.groups);
  });
});
