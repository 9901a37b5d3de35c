import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import {
  buildModel,
  expectClose,
  fixture,
  fromFixture,
  makeOptimizer,
  optimizerStateTensors,
  trainStep,
  type TrainingCase,
} from './scoped-training-cases.js';

type Mode = 'none' | 'scope(fn)' | 'using';

interface Run {
  losses: number[];
  /** The model's state dict after each step. */
  states: Record<string, number[]>[];
  model: torch.nn.Module;
  optimizer: torch.optim.Optimizer;
  /** A temporary the last step created inside its scope. */
  temporary: torch.Tensor;
}

/**
 * Trains the fixture's model. With a scope, the model and the optimizer are built inside one that does not return
 * them, and every step runs in its own: only "storing keeps" can save their parameters, buffers and state.
 */
function train(testCase: TrainingCase, mode: Mode): Run {
  const x = fromFixture(fixture.x);
  const y = fromFixture(fixture.y);
  let model: torch.nn.Module | undefined;
  let optimizer: torch.optim.Optimizer | undefined;
  const build = () => {
    model = buildModel();
    optimizer = makeOptimizer(testCase, model.parameters());
  };
  if (mode === 'none') build();
  if (mode === 'scope(fn)') torch.scope(build);
  if (mode === 'using') {
    using _scope = torch.scope();
    build();
  }
  if (!model || !optimizer) throw new Error('not built');
  const [m, opt] = [model, optimizer];
  const losses: number[] = [];
  const states: Record<string, number[]>[] = [];
  let temporary = x;
  const step = () => {
    losses.push(trainStep(m, opt, x, y).item() as number);
    temporary = x.mul(3); // not a forward: that would update the BatchNorm statistics again
  };
  for (let i = 0; i < testCase.steps.length; i++) {
    if (mode === 'none') step();
    if (mode === 'scope(fn)') torch.scope(step);
    if (mode === 'using') {
      using _scope = torch.scope();
      step();
    }
    states.push(Object.fromEntries(Object.entries(m.stateDict()).map(([key, t]) => [key, Array.from(t.dataSync(), Number)])));
  }
  return { losses, states, model: m, optimizer: opt, temporary };
}

describe('training with every step in torch.scope() matches PyTorch (fixtures/scoped-training.json)', () => {
  it('covers SGD with momentum and Adam, among others', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['SGD momentum', 'SGD nesterov weight decay', 'Adam', 'Adam amsgrad', 'AdamW']),
    );
  });

  for (const testCase of fixture.cases) {
    it(`${testCase.name}: no scope, scope(fn) and using give PyTorch's parameters, buffers and losses`, () => {
      const plain = train(testCase, 'none');
      testCase.steps.forEach((expected, i) => {
        expect(Math.abs(plain.losses[i] - expected.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(expected.loss));
        for (const [key, values] of Object.entries(expected.state)) expectClose(plain.states[i][key], values, 1e-5, 1e-6, `step ${i} ${key}`);
      });
      for (const mode of ['scope(fn)', 'using'] as const) {
        const scoped = train(testCase, mode);
        // Op for op the same run: bit for bit the same numbers.
        expect(scoped.losses, mode).toEqual(plain.losses);
        expect(scoped.states, mode).toEqual(plain.states);
        expect(scoped.temporary.isDisposed, `${mode}: temporaries are still disposed`).toBe(true);
        const state = [...scoped.model.parameters(), ...scoped.model.buffers(), ...optimizerStateTensors(scoped.optimizer)];
        expect(state.filter((t) => t.isDisposed)).toEqual([]);
        expect(optimizerStateTensors(scoped.optimizer).length).toBeGreaterThan(0);
      }
    });
  }

  it('an optimizer state dict loaded inside a scope resumes training as in PyTorch', () => {
    const testCase = fixture.cases.find((c) => c.name === 'Adam amsgrad');
    if (!testCase) throw new Error('missing case');
    const x = fromFixture(fixture.x);
    const y = fromFixture(fixture.y);
    const model = buildModel();
    const first = makeOptimizer(testCase, model.parameters());
    for (let i = 0; i < 3; i++) torch.scope(() => trainStep(model, first, x, y).item());
    const resumed = makeOptimizer(testCase, model.parameters());
    // The copies loadStateDict makes are created inside the scope: the optimizer keeps them.
    torch.scope(() => resumed.loadStateDict(first.stateDict()));
    expect(optimizerStateTensors(resumed).filter((t) => t.isDisposed)).toEqual([]);
    for (let i = 3; i < testCase.steps.length; i++) {
      const loss = torch.scope(() => trainStep(model, resumed, x, y).item() as number);
      expect(Math.abs(loss - testCase.steps[i].loss)).toBeLessThanOrEqual(1e-5 * Math.abs(testCase.steps[i].loss));
    }
    const last = testCase.steps[testCase.steps.length - 1].state;
    for (const [key, t] of Object.entries(model.stateDict())) expectClose(t.dataSync(), last[key], 1e-5, 1e-6, key);
  });
});

describe('noGrad, enableGrad and scope refuse async functions (grad mode and scopes cannot follow an await)', () => {
  const model = buildModel();
  const x = fromFixture(fixture.x);

  it('throws a TypeError at once, before running the function, and changes nothing', () => {
    let ran = false;
    const body = async () => {
      ran = true;
      return model(x);
    };
    expect(() => torch.noGrad(body)).toThrow(/noGrad\(\) got an async function: grad mode .* cannot follow an await/);
    expect(() => torch.enableGrad(body)).toThrow(/enableGrad\(\) got an async function/);
    expect(() => torch.scope(body)).toThrow(/scope\(\) got an async function: a scope cannot follow an await/);
    expect(ran).toBe(false);
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.ones(1).mul(2).isDisposed).toBe(false); // no scope left open
  });

  it('the synchronous form, awaited outside, gives the no-grad output', async () => {
    const y = torch.noGrad(() => model.eval()(x));
    model.train();
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(Array.from((await y.dataAsync()) as Float32Array)).toEqual(
      Array.from(torch.noGrad(() => model.eval()(x)).dataSync() as Float32Array),
    );
    model.train();
  });
});
