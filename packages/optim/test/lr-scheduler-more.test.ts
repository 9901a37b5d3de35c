import { afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '@descent/tensor';
import { Adagrad, Adam, SGD, lrScheduler } from '../src/index.js';
import { camelCase, expectClose, loadFixture, parseCall } from './fixtures.js';

// LambdaLR, MultiplicativeLR, OneCycleLR, CosineAnnealingWarmRestarts, CyclicLR, SequentialLR and ChainedScheduler
// against PyTorch 1.13 (optim-more.json, written by tooling/fixtures/gen_optim_more.py).

interface ChildCase {
  scheduler: string;
  kwargs: Record<string, unknown>;
  lambdas?: string[];
}

interface SchedulerCase extends ChildCase {
  optimizer: string;
  groups: Array<{ lr: number }>;
  name: string;
  epochs?: Array<number | null>;
  children?: ChildCase[];
  lrs: number[][];
  momentums?: number[][];
}

interface StateDictCase {
  case: number;
  after: number;
  state_dict: Record<string, unknown>;
}

type Optimizer = lrScheduler.AnyOptimizer;
type Scheduler = lrScheduler.LRScheduler | lrScheduler.SequentialLR | lrScheduler.ChainedScheduler;

const fixture = loadFixture('optim-more');
const cases: SchedulerCase[] = fixture.schedulers;
const stateDictCases: StateDictCase[] = fixture.scheduler_state_dicts;

/** The Python lambdas of the fixture, by their source. */
const LAMBDAS: Record<string, (x: number) => number> = {
  '0.95 ** epoch': (epoch) => 0.95 ** epoch,
  'epoch // 3': (epoch) => Math.floor(epoch / 3),
  '1.0 / (epoch + 1)': (epoch) => 1.0 / (epoch + 1),
  '0.9': () => 0.9,
  '0.8 if epoch % 3 == 0 else 1.0': (epoch) => (epoch % 3 === 0 ? 0.8 : 1.0),
  '0.9 ** x': (x) => 0.9 ** x,
  '1 / (1 + x)': (x) => 1 / (1 + x),
};

const OPTIMIZERS = { SGD, Adam, Adagrad } as const;

function makeOptimizer(testCase: SchedulerCase): Optimizer {
  const { name, options } = parseCall(testCase.optimizer);
  const groups = testCase.groups.map(({ lr }) => ({ params: [tensor([0], { dtype: 'float32', requiresGrad: true })], lr }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options parsed from the fixture's string
  return new (OPTIMIZERS[name as keyof typeof OPTIMIZERS] as any)(groups, options);
}

function camelOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([key, value]) => [camelCase(key), value]));
}

function makeChild(optimizer: Optimizer, child: ChildCase): lrScheduler.LRScheduler {
  const options = camelOptions(child.kwargs);
  if (child.lambdas) {
    const fns = child.lambdas.map((source) => LAMBDAS[source]);
    options[child.scheduler === 'CyclicLR' ? 'scaleFn' : 'lrLambda'] = fns.length === 1 ? fns[0] : fns;
  }
  const Scheduler = (lrScheduler as unknown as Record<string, new (o: Optimizer, options: unknown) => lrScheduler.LRScheduler>)[child.scheduler];
  if (!Scheduler) throw new Error(`unknown scheduler ${child.scheduler}`);
  return new Scheduler(optimizer, options);
}

function makeScheduler(optimizer: Optimizer, testCase: SchedulerCase): Scheduler {
  if (testCase.name === 'ChainedScheduler') return new lrScheduler.ChainedScheduler(testCase.children!.map((c) => makeChild(optimizer, c)));
  if (testCase.name === 'SequentialLR') {
    const schedulers = testCase.children!.map((c) => makeChild(optimizer, c));
    return new lrScheduler.SequentialLR(optimizer, { schedulers, milestones: testCase.kwargs.milestones as number[] });
  }
  return makeChild(optimizer, { scheduler: testCase.name, kwargs: testCase.kwargs, lambdas: testCase.lambdas });
}

function stepScheduler(scheduler: Scheduler, testCase: SchedulerCase, i: number): void {
  const epoch = testCase.epochs?.[i];
  if (epoch === undefined || epoch === null) scheduler.step();
  else (scheduler as lrScheduler.LRScheduler).step(epoch);
}

function momentums(optimizer: Optimizer): number[] {
  return optimizer.paramGroups.map((g) => (Array.isArray(g.betas) ? (g.betas as number[])[0] : (g.momentum as number)));
}

/** Runs a case, checking every lr (and momentum) PyTorch recorded; returns what it built. */
function run(testCase: SchedulerCase, steps = testCase.lrs.length - 1): { optimizer: Optimizer; scheduler: Scheduler } {
  const optimizer = makeOptimizer(testCase);
  const scheduler = makeScheduler(optimizer, testCase);
  for (let i = 0; i <= steps; i++) {
    if (i > 0) {
      optimizer.step();
      stepScheduler(scheduler, testCase, i - 1);
    }
    // Double precision as in Python; Math.cos and ** may differ from libm's in the last bit.
    expectClose(scheduler.getLastLr(), testCase.lrs[i], 1e-13, 0, `lr after ${i} steps`);
    expectClose(optimizer.paramGroups.map((g) => g.lr as number), testCase.lrs[i], 1e-13, 0, `group lr after ${i} steps`);
    if (testCase.momentums) expectClose(momentums(optimizer), testCase.momentums[i], 1e-13, 0, `momentum after ${i} steps`);
  }
  return { optimizer, scheduler };
}

// PyTorch's fields that hold functions (or a flag of its get_lr warning), which Descent's state dicts leave out.
const PYTHON_ONLY = new Set(['_get_lr_called_within_step', 'anneal_func', '_scale_fn_ref', '_scale_fn_custom']);

/** A Python state_dict as Descent names it: camelCase keys (leading underscores kept), OneCycleLR's phase entries too. */
function camelStateDict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelStateDict);
  if (typeof value === 'string') return camelCase(value);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !PYTHON_ONLY.has(key))
      .map(([key, v]) => [key.replace(/^(_*)(.*)$/, (_m, lead: string, rest: string) => lead + camelCase(rest)), camelStateDict(v)]),
  );
}

/** Deep equality, numbers to 1e-13 relative. */
function expectCloseDeep(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expectClose([actual], [expected], 1e-13, 0, what);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), what).toBe(true);
    expect((actual as unknown[]).length, what).toBe(expected.length);
    expected.forEach((e, i) => expectCloseDeep((actual as unknown[])[i], e, `${what}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), `${what} keys`).toEqual(Object.keys(expected).sort());
    for (const [key, e] of Object.entries(expected)) expectCloseDeep((actual as Record<string, unknown>)[key], e, `${what}.${key}`);
  } else {
    expect(actual, what).toEqual(expected);
  }
}

describe('lr sequences from PyTorch (optim-more.json)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('covers every new scheduler', () => {
    expect([...new Set(cases.map((c) => c.name))].sort()).toEqual([
      'ChainedScheduler', 'CosineAnnealingWarmRestarts', 'CyclicLR', 'LambdaLR', 'MultiplicativeLR', 'OneCycleLR', 'SequentialLR',
    ]);
  });

  for (const testCase of cases) {
    it(`${testCase.scheduler} on ${testCase.optimizer}${testCase.epochs ? ` stepped at ${JSON.stringify(testCase.epochs)}` : ''}`, () => {
      // SequentialLR's milestones call step(0), which warns as in PyTorch.
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      run(testCase);
    });
  }
});

describe('scheduler stateDict as PyTorch (optim-more.json)', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const { case: index, after, state_dict: expected } of stateDictCases) {
    const testCase = cases[index];
    it(`${testCase.scheduler} after ${after} steps, and resumed from it`, () => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      const { optimizer, scheduler } = run(testCase, after);
      const saved = scheduler.stateDict();
      const want = camelStateDict(expected) as Record<string, unknown>;
      // PyTorch keeps OneCycleLR's annealing function itself; Descent its name.
      const got = testCase.name === 'OneCycleLR' ? { ...saved, annealStrategy: undefined } : saved;
      expectCloseDeep(JSON.parse(JSON.stringify(got)), want, testCase.name);

      // A fresh optimizer and scheduler, loaded from both state dicts, continue exactly as PyTorch did.
      const resumedOptimizer = makeOptimizer(testCase);
      const resumed = makeScheduler(resumedOptimizer, testCase);
      resumedOptimizer.loadStateDict(optimizer.stateDict());
      resumed.loadStateDict(saved);
      for (let i = after; i < testCase.lrs.length - 1; i++) {
        resumedOptimizer.step();
        stepScheduler(resumed, testCase, i);
        expectClose(resumed.getLastLr(), testCase.lrs[i + 1], 1e-13, 0, `resumed lr after ${i + 1} steps`);
        if (testCase.momentums) expectClose(momentums(resumedOptimizer), testCase.momentums[i + 1], 1e-13, 0, `resumed momentum ${i + 1}`);
      }
    });
  }
});
