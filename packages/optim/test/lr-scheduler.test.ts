import { afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '@descent/tensor';
import { SGD, lrScheduler } from '../src/index.js';
import { expectClose, loadFixture, parseCall } from './fixtures.js';

interface SchedulerCase {
  groups: Array<{ lr: number }>;
  scheduler: string;
  metrics?: number[];
  lrs: number[][];
}

function makeOptimizer(lrs: number[]): SGD {
  return new SGD(
    lrs.map((lr) => ({ params: [tensor([0], { dtype: 'float32', requiresGrad: true })], lr })),
    { lr: lrs[0] },
  );
}

type Scheduler = lrScheduler.LRScheduler | lrScheduler.ReduceLROnPlateau;

function makeScheduler(optimizer: SGD, call: string): Scheduler {
  const { name, options } = parseCall(call);
  const Scheduler = (lrScheduler as unknown as Record<string, new (o: SGD, options: unknown) => Scheduler>)[name];
  if (!Scheduler) throw new Error(`unknown scheduler ${name}`);
  return new Scheduler(optimizer, options);
}

function stepScheduler(scheduler: Scheduler, metrics: number[] | undefined, epoch: number): void {
  if (scheduler instanceof lrScheduler.ReduceLROnPlateau) scheduler.step(metrics![epoch]);
  else scheduler.step();
}

describe('lr sequences from PyTorch (optim-extra.json)', () => {
  const cases: SchedulerCase[] = loadFixture('optim-extra').schedulers;
  it('covers every scheduler', () => {
    const names = new Set(cases.map((c) => c.scheduler.split('(')[0]));
    expect([...names].sort()).toEqual(['CosineAnnealingLR', 'ExponentialLR', 'LinearLR', 'MultiStepLR', 'ReduceLROnPlateau', 'StepLR']);
  });
  for (const testCase of cases) {
    it(testCase.scheduler, () => {
      const optimizer = makeOptimizer(testCase.groups.map((g) => g.lr));
      const scheduler = makeScheduler(optimizer, testCase.scheduler);
      testCase.lrs.forEach((expected, epoch) => {
        if (epoch > 0) {
          optimizer.step();
          stepScheduler(scheduler, testCase.metrics, epoch - 1);
        }
        // Double precision as in Python; Math.cos may differ from libm's in the last bit.
        expectClose(scheduler.getLastLr(), expected, 1e-13, 0, `${testCase.scheduler} epoch ${epoch}`);
        expectClose(optimizer.paramGroups.map((g) => g.lr), expected, 1e-13, 0, `${testCase.scheduler} group lr ${epoch}`);
      });
    });
  }
});

describe('scheduler stateDict', () => {
  const cases: SchedulerCase[] = loadFixture('optim-extra').schedulers;
  for (const call of ['CosineAnnealingLR(T_max=7, eta_min=0.001)', 'MultiStepLR(milestones=[2, 5, 5, 9], gamma=0.3)',
    "ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2, min_lr=0.004)"]) {
    it(`resumes ${call} exactly`, () => {
      const testCase = cases.find((c) => c.scheduler === call)!;
      const lrs = testCase.groups.map((g) => g.lr);
      const optimizer = makeOptimizer(lrs);
      const scheduler = makeScheduler(optimizer, call);
      for (let epoch = 0; epoch < 9; epoch++) {
        optimizer.step();
        stepScheduler(scheduler, testCase.metrics, epoch);
      }
      const saved = { optimizer: optimizer.stateDict(), scheduler: scheduler.stateDict() };
      expect(saved.scheduler).not.toHaveProperty('optimizer');

      const resumedOptimizer = makeOptimizer(lrs);
      const resumed = makeScheduler(resumedOptimizer, call);
      resumedOptimizer.loadStateDict(saved.optimizer);
      resumed.loadStateDict(saved.scheduler);
      for (let epoch = 9; epoch < 20; epoch++) {
        optimizer.step();
        stepScheduler(scheduler, testCase.metrics, epoch);
        resumedOptimizer.step();
        stepScheduler(resumed, testCase.metrics, epoch);
        expect(resumed.getLastLr()).toEqual(scheduler.getLastLr());
        expectClose(resumed.getLastLr(), testCase.lrs[epoch + 1], 1e-13, 0, `${call} epoch ${epoch + 1}`);
      }
    });
  }

  it("holds PyTorch's fields, camelCased", () => {
    const optimizer = makeOptimizer([0.1]);
    const scheduler = new lrScheduler.StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    expect(scheduler.stateDict()).toEqual({
      baseLrs: [0.1],
      lastEpoch: 0,
      verbose: false,
      _stepCount: 1,
      _lastLr: [0.1],
      stepSize: 3,
      gamma: 0.5,
    });
    expect(optimizer.paramGroups[0].initialLr).toBe(0.1);
  });
});

describe('scheduler checks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns when scheduler.step() comes before optimizer.step()', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const optimizer = makeOptimizer([0.1]);
    const scheduler = new lrScheduler.ExponentialLR(optimizer, { gamma: 0.5 });
    scheduler.step();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Detected call of `lr_scheduler.step()` before `optimizer.step()`'));

    warn.mockClear();
    const inOrder = makeOptimizer([0.1]);
    const good = new lrScheduler.ExponentialLR(inOrder, { gamma: 0.5 });
    inOrder.step();
    good.step();
    expect(warn).not.toHaveBeenCalled();
    expect(good.getLastLr()).toEqual([0.05]);
  });

  it('needs initialLr to resume from a lastEpoch', () => {
    const optimizer = makeOptimizer([0.1]);
    expect(() => new lrScheduler.StepLR(optimizer, { stepSize: 2, lastEpoch: 4 })).toThrow(
      "param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer",
    );
    optimizer.paramGroups[0].initialLr = 0.1;
    const scheduler = new lrScheduler.StepLR(optimizer, { stepSize: 2, lastEpoch: 4 });
    expect(scheduler.lastEpoch).toBe(5);
    expect(scheduler.baseLrs).toEqual([0.1]);
  });

  it('rejects bad options', () => {
    const optimizer = makeOptimizer([0.1]);
    expect(() => new lrScheduler.StepLR({} as never, { stepSize: 1 })).toThrow('Object is not an Optimizer');
    expect(() => new lrScheduler.StepLR(optimizer, { stepSize: 0 })).toThrow('stepSize must be a positive integer');
    expect(() => new lrScheduler.LinearLR(optimizer, { startFactor: 2 })).toThrow(
      'Starting multiplicative factor expected to be between 0 and 1.',
    );
    expect(() => new lrScheduler.ReduceLROnPlateau(optimizer, { factor: 1 })).toThrow('Factor should be < 1.0.');
    expect(() => new lrScheduler.ReduceLROnPlateau(optimizer, { mode: 'up' as 'min' })).toThrow('mode up is unknown!');
    expect(() => new lrScheduler.ReduceLROnPlateau(optimizer, { minLr: [0, 0] })).toThrow('expected 1 min_lrs, got 2');
  });

  it('ReduceLROnPlateau takes a 0-d tensor metric', () => {
    const optimizer = makeOptimizer([0.1]);
    const scheduler = new lrScheduler.ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 });
    scheduler.step(tensor(1.5));
    scheduler.step(tensor(2.5));
    expect(scheduler.best).toBe(1.5);
    expect(scheduler.getLastLr()).toEqual([0.05]);
  });

  it('verbose logs each change', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const optimizer = makeOptimizer([0.1]);
    new lrScheduler.ExponentialLR(optimizer, { gamma: 0.5, verbose: true });
    expect(log).toHaveBeenCalledWith('Adjusting learning rate of group 0 to 1.0000e-01.');
  });
});
