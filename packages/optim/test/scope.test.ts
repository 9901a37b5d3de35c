// Optimizer state is kept: an enclosing torch.scope() never disposes what an optimizer stores (issue 13).
import { describe, expect, it } from 'vitest';
import { isTensor, ones, scope, tensor, type Tensor } from '@descent/tensor';
import { Adam, SGD, type Optimizer } from '../src/index.js';
import { expectClose, fromFixture, loadFixture } from './fixtures.js';
import { MseProblem, type TrajectoryCase } from './mse-problem.js';

// The tolerances of trajectories.test.ts (float32 op for op; see the reasons there).
function expectTensor(actual: ArrayLike<number>, expected: number[], what: string): void {
  expectClose(actual, expected, 1e-5, 1e-6 * Math.max(...expected.map(Math.abs)), what);
}

/** Every tensor an optimizer holds in `state`. */
function stateTensors(optimizer: Optimizer): Tensor[] {
  return [...optimizer.state.values()].flatMap((s) => Object.values(s as Record<string, unknown>).filter(isTensor));
}

/** The optimizer is built inside a scope that does not return it, and every step runs in its own scope. */
function checkScopedTrajectory(testCase: TrajectoryCase): void {
  const problem = new MseProblem(testCase);
  let built: Optimizer | undefined;
  scope(() => void (built = problem.makeOptimizer()));
  if (!built) throw new Error('not built');
  const optimizer = built;
  testCase.steps.forEach((expected, i) => {
    let temporary: Tensor | undefined;
    const loss = scope(() => {
      temporary = problem.x.mul(2);
      return problem.trainStep(optimizer);
    });
    expect(temporary?.isDisposed).toBe(true);
    expectClose([loss], [expected.loss], 1e-5, 0, `${testCase.optimizer} step ${i} loss`);
    expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `${testCase.optimizer} step ${i} w`);
    expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `${testCase.optimizer} step ${i} b`);
  });
  expect(stateTensors(optimizer).filter((t) => t.isDisposed)).toEqual([]);
}

describe('every step in torch.scope(): the trajectories still match PyTorch', () => {
  const cases: TrajectoryCase[] = [...loadFixture('optim').cases, ...loadFixture('optim-extra').cases];
  it('include SGD with momentum, Adam and AMSGrad (whose max buffer is added in place during a step)', () => {
    const names = cases.map((c) => c.optimizer);
    expect(names).toContain('SGD(lr=0.05, momentum=0.9)');
    expect(names).toContain('Adam(lr=0.05)');
    expect(names).toContain('Adam(lr=0.05, amsgrad=True)');
  });
  cases.forEach((testCase, i) => {
    const groups = testCase.groups ? ` groups ${JSON.stringify(testCase.groups)}` : '';
    it(`${i}: ${testCase.optimizer}${groups}`, () => checkScopedTrajectory(testCase));
  });
});

describe('what an optimizer stores is kept', () => {
  const cases: TrajectoryCase[] = loadFixture('optim-extra').cases;

  it("loadStateDict inside a scope keeps the copies it makes, and the run resumes on PyTorch's update rule", () => {
    const testCase = cases.find((c) => c.optimizer === 'Adam(lr=0.05, weight_decay=0.1, amsgrad=True, maximize=True)' && !c.groups);
    if (!testCase) throw new Error('missing case');
    const problem = new MseProblem(testCase);
    const stepWithPyTorchGrads = (optimizer: Optimizer, i: number) => {
      const { grad_w: gradW, grad_b: gradB } = testCase.steps[i];
      if (!gradW || !gradB) throw new Error('optim-extra.json holds the gradients of every step');
      problem.w.grad = fromFixture(gradW);
      problem.b.grad = fromFixture(gradB);
      scope(() => optimizer.step());
      expectTensor(problem.w.dataSync() as Float32Array, testCase.steps[i].w.data, `step ${i} w`);
      expectTensor(problem.b.dataSync() as Float32Array, testCase.steps[i].b.data, `step ${i} b`);
    };
    for (let i = 0; i < 3; i++) stepWithPyTorchGrads(problem.optimizer, i);
    const resumed = problem.makeOptimizer();
    scope(() => resumed.loadStateDict(problem.optimizer.stateDict()));
    expect(stateTensors(resumed).length).toBe(8); // step, expAvg, expAvgSq, maxExpAvgSq for w and b
    expect(stateTensors(resumed).filter((t) => t.isDisposed)).toEqual([]);
    for (let i = 3; i < testCase.steps.length; i++) stepWithPyTorchGrads(resumed, i);
  });

  it('parameters given to an optimizer inside a scope, frozen ones included', () => {
    let frozen: Tensor | undefined;
    let optimizer: SGD | undefined;
    scope(() => {
      frozen = ones(2).mul(3);
      optimizer = new SGD([frozen, tensor([1.5], { requiresGrad: true })], { lr: 0.1 });
    });
    expect(frozen?.tolist()).toEqual([3, 3]);
    expect(optimizer?.paramGroups[0].params[0]).toBe(frozen);
  });

  it('state stored with state.set() or by assigning a Map to optimizer.state, inside a scope', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const optimizer = new SGD([w], { lr: 0.1, momentum: 0.9 });
    scope(() => optimizer.state.set(w, { momentumBuffer: ones(2).mul(4) }));
    expect(optimizer.state.get(w)?.momentumBuffer?.tolist()).toEqual([4, 4]);
    const other = new Adam([w]);
    scope(() => {
      other.state = new Map([[w, { step: tensor(2, { dtype: 'float32' }), expAvg: ones(2).mul(5), expAvgSq: ones(2).mul(6) }]]);
    });
    expect(stateTensors(other).map((t) => t.tolist())).toEqual([2, [5, 5], [6, 6]]);
  });
});
