import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import '@descent/autograd';
import { SGD, lrScheduler } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `StepLR(optimizer, 30, 0.1)`, `ReduceLROnPlateau(optimizer, 'max', 0.5, 0)`: PyTorch takes scheduler arguments by
// position. They were read as the options object: StepLR raised "stepSize must be a positive integer, got undefined",
// ReduceLROnPlateau(opt, 'max') quietly minimized. fixtures/gen_scheduler_positional.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('scheduler-positional');

type Scheduler = { step(metric: number): void } | { step(): void };
function run(make: (opt: SGD) => Scheduler, metrics?: number[]): number[] {
  const opt = new SGD([torch.zeros(1, { requiresGrad: true })], { lr: 1.0 });
  const sched = make(opt);
  const lrs: number[] = [];
  for (let i = 0; i < 5; i++) {
    opt.step();
    (sched.step as (metric?: number) => void).call(sched, metrics?.[i]);
    lrs.push(opt.paramGroups[0].lr);
  }
  return lrs;
}

const CASES: Record<string, () => number[]> = {
  StepLR: () => run((o) => new lrScheduler.StepLR(o, 2, 0.5)),
  MultiStepLR: () => run((o) => new lrScheduler.MultiStepLR(o, [1, 3], 0.5)),
  ExponentialLR: () => run((o) => new lrScheduler.ExponentialLR(o, 0.9)),
  CosineAnnealingLR: () => run((o) => new lrScheduler.CosineAnnealingLR(o, 4, 0.01)),
  LambdaLR: () => run((o) => new lrScheduler.LambdaLR(o, (e: number) => 0.5 ** e)),
  MultiplicativeLR: () => run((o) => new lrScheduler.MultiplicativeLR(o, () => 0.8)),
  ReduceLROnPlateau: () => run((o) => new lrScheduler.ReduceLROnPlateau(o, 'max', 0.5, 0), [1.0, 0.5, 0.4, 2.0, 1.0]),
  LinearLR: () => run((o) => new lrScheduler.LinearLR(o, 0.5, 1.0, 2)),
  OneCycleLR: () => run((o) => new lrScheduler.OneCycleLR(o, 0.5, 6, null, null, 0.4, 'linear')),
  CyclicLR: () => run((o) => new lrScheduler.CyclicLR(o, 0.1, 0.5, 2, null, 'triangular2', 1.0, null, 'cycle', false)),
  CosineAnnealingWarmRestarts: () => run((o) => new lrScheduler.CosineAnnealingWarmRestarts(o, 2, 2, 0.1)),
  SequentialLR: () => run((o) => new lrScheduler.SequentialLR(o, [new lrScheduler.ExponentialLR(o, 0.5), new lrScheduler.StepLR(o, 1, 0.9)], [2])),
};

describe('LR schedulers take PyTorch positional arguments', () => {
  for (const [name, lrs] of Object.entries(CASES)) {
    it(name, () => lrs().forEach((lr, i) => expect(lr, `step ${i + 1}`).toBeCloseTo(golden[name][i], 12)));
  }

  it('mixes positions with an options object, and raises on a name given twice', () => {
    const opt = new SGD([torch.zeros(1, { requiresGrad: true })], { lr: 1.0 });
    expect(new lrScheduler.StepLR(opt, 2, { gamma: 0.5 }).gamma).toBe(0.5);
    expect(() => new lrScheduler.StepLR(opt, 2, 0.5, { gamma: 0.1 })).toThrow("StepLR.__init__() got multiple values for argument 'gamma'");
  });
});
