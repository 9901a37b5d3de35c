import { describe, expect, it } from 'vitest';
import { ones, type Tensor } from '@descent/tensor';
import { Adagrad, Adam, SGD } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `print(optimizer)` against PyTorch 1.13 (fixtures/gen_optimizer_repr.py): hyperparameters under their Python
// names (`weight_decay`, not `weightDecay`), sorted. PyTorch 1.13 also lists implementation flags Descent's groups
// do not have (`differentiable`, `foreach`, `capturable`, `fused`); those lines are left out of the comparison.
const golden = loadFixture('optimizer-repr') as Record<string, string>;
const FLAGS = /^ {4}(differentiable|foreach|capturable|fused): .*$\n/gm;
const withoutFlags = (repr: string): string => `${repr}\n`.replace(FLAGS, '').slice(0, -1);

describe('Optimizer toString', () => {
  const w = (): Tensor => ones(2).requiresGrad_(true);
  it('prints the hyperparameters as PyTorch names and sorts them', () => {
    expect(String(new SGD([w()], { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 }))).toBe(withoutFlags(golden.sgd));
    expect(String(new Adam([w()], { lr: 0.05 }))).toBe(withoutFlags(golden.adam));
    expect(String(new Adagrad([w()], { lrDecay: 0.1, initialAccumulatorValue: 0.5 }))).toBe(withoutFlags(golden.adagrad));
    expect(String(new SGD([{ params: [w()], weightDecay: 0.1 }, { params: [ones(1).requiresGrad_(true)] }], { lr: 0.2 }))).toBe(withoutFlags(golden.groups));
  });
});
