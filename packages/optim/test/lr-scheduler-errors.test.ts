import { afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '@descent/tensor';
import { Adagrad, Adam, SGD, lrScheduler } from '../src/index.js';

type Optimizer = lrScheduler.AnyOptimizer;
import { camelCase, loadFixture, parseCall } from './fixtures.js';

// The new schedulers' checks against PyTorch's messages (optim-more.json), and the pieces of the scheduler API
// that the lr sequences do not reach.

interface SchedulerError {
  scheduler: string;
  optimizer: string;
  groups: Array<{ lr: number }>;
  kwargs: Record<string, unknown>;
  steps: number;
  error: string;
  message: string;
}

const OPTIMIZERS = { SGD, Adam, Adagrad } as const;

function makeOptimizer(call: string, lrs: number[]): Optimizer {
  const { name, options } = parseCall(call);
  const groups = lrs.map((lr) => ({ params: [tensor([0], { dtype: 'float32', requiresGrad: true })], lr }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options parsed from the fixture's string
  return new (OPTIMIZERS[name as keyof typeof OPTIMIZERS] as any)(groups, options);
}

describe("PyTorch's scheduler errors (optim-more.json)", () => {
  const errors: SchedulerError[] = loadFixture('optim-more').scheduler_errors;
  for (const { scheduler, optimizer: call, groups, kwargs, steps, message } of errors) {
    it(`${scheduler}(${JSON.stringify(kwargs)}) on ${call}${steps ? ` after ${steps} steps` : ''}: ${message}`, () => {
      const optimizer = makeOptimizer(call, groups.map((g) => g.lr));
      const options = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camelCase(k), v]));
      const Scheduler = (lrScheduler as unknown as Record<string, new (o: Optimizer, options: unknown) => lrScheduler.LRScheduler>)[scheduler];
      const run = () => {
        const s = new Scheduler(optimizer, options);
        for (let i = 0; i < steps; i++) {
          optimizer.step();
          s.step();
        }
      };
      expect(run).toThrow(RangeError);
      expect(run).toThrow(message);
    });
  }
});

describe('scheduler API', () => {
  afterEach(() => vi.restoreAllMocks());
  const sgd = (lrs = [0.1]) => makeOptimizer('SGD(lr=0.1, momentum=0.9)', lrs);

  it('step(epoch) jumps with the closed form and warns as PyTorch', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const optimizer = sgd();
    const exponential = new lrScheduler.ExponentialLR(optimizer, { gamma: 0.5 });
    optimizer.step();
    exponential.step(3);
    expect(exponential.getLastLr()).toEqual([0.1 * 0.5 ** 3]);
    expect(exponential.lastEpoch).toBe(3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('The epoch parameter in `scheduler.step()` was not necessary'));
    const step = new lrScheduler.StepLR(sgd(), { stepSize: 2, gamma: 0.1 });
    step.step(5);
    expect(step.getLastLr()[0]).toBeCloseTo(0.1 * 0.1 ** 2, 15);
  });

  it('LambdaLR checks the number of functions', () => {
    expect(() => new lrScheduler.LambdaLR(sgd([0.1, 0.2]), { lrLambda: [() => 1] })).toThrow('Expected 2 lr_lambdas, but got 1');
    expect(() => new lrScheduler.MultiplicativeLR(sgd(), { lrLambda: 0.9 as never })).toThrow(
      'MultiplicativeLR: lrLambda must be a function or an array of functions',
    );
  });

  it('LambdaLR keeps its own functions when loading a state dict', () => {
    const optimizer = sgd();
    const scheduler = new lrScheduler.LambdaLR(optimizer, { lrLambda: (epoch) => 1 / (epoch + 1) });
    const other = new lrScheduler.LambdaLR(sgd(), { lrLambda: () => 2 });
    scheduler.loadStateDict(other.stateDict());
    optimizer.step();
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([0.05]);
  });

  it('SequentialLR and ChainedScheduler check their schedulers', () => {
    const optimizer = sgd();
    const other = sgd();
    const a = new lrScheduler.ExponentialLR(optimizer, { gamma: 0.9 });
    const b = new lrScheduler.ExponentialLR(other, { gamma: 0.9 });
    expect(() => new lrScheduler.SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] })).toThrow(
      'Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.',
    );
    expect(() => new lrScheduler.SequentialLR(optimizer, { schedulers: [a], milestones: [2] })).toThrow(
      'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1',
    );
    expect(() => new lrScheduler.ChainedScheduler([a, b])).toThrow(
      'ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different',
    );
  });

  it('CosineAnnealingWarmRestarts takes fractional epochs and logs them as PyTorch (text from PyTorch 1.13)', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const scheduler = new lrScheduler.CosineAnnealingWarmRestarts(sgd(), { T0: 4, verbose: true });
    expect(log).toHaveBeenLastCalledWith('Epoch 00000: adjusting learning rate of group 0 to 1.0000e-01.');
    scheduler.step(2.5);
    expect(log).toHaveBeenLastCalledWith('Epoch 2.50: adjusting learning rate of group 0 to 3.0866e-02.');
    expect(scheduler.lastEpoch).toBe(2);
    expect(() => scheduler.step(-1)).toThrow('Expected non-negative epoch, but got -1');
  });

  it('OneCycleLR stores its bounds in the groups, as PyTorch', () => {
    const optimizer = makeOptimizer('Adam(lr=0.1, betas=(0.9, 0.99))', [0.1]);
    new lrScheduler.OneCycleLR(optimizer, { maxLr: 0.5, totalSteps: 10 });
    expect(optimizer.paramGroups[0]).toMatchObject({ initialLr: 0.02, maxLr: 0.5, minLr: 2e-6, maxMomentum: 0.95, baseMomentum: 0.85, betas: [0.95, 0.99] });
  });
});
