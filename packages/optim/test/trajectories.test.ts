import { describe, expect, it } from 'vitest';
import { expectClose, fromFixture, loadFixture } from './fixtures.js';
import { MseProblem, type TrajectoryCase } from './mse-problem.js';

// Float32 rounding, op for op. Two known sources of last-bit differences: PyTorch's AVX2 kernels evaluate
// `add(alpha=)` and `addcmul` as fused multiply-adds (one rounding, where composed tensor ops round twice), and
// the backward pass sums in a different order. An element that passes near zero through cancellation keeps only
// an absolute error, so it is held to 1e-6 of its tensor's largest magnitude instead.
const RTOL = 1e-5;
const SCALE_ATOL = 1e-6;

function expectTensor(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  expectClose(actual, expected, RTOL, SCALE_ATOL * scale, what);
}

/** Trains with autograd's gradients: the whole loop (zeroGrad, forward, backward, step) against PyTorch's. */
function checkTrajectory(testCase: TrajectoryCase): void {
  const problem = new MseProblem(testCase);
  testCase.steps.forEach((expected, i) => {
    const loss = problem.trainStep();
    expectClose([loss], [expected.loss], RTOL, 0, `${testCase.optimizer} step ${i} loss`);
    expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `${testCase.optimizer} step ${i} w`);
    expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `${testCase.optimizer} step ${i} b`);
  });
}

/** Steps with PyTorch's own gradients, so only the update rule is compared. */
function checkUpdateRule(testCase: TrajectoryCase): void {
  const problem = new MseProblem(testCase);
  testCase.steps.forEach((expected, i) => {
    problem.w.grad = fromFixture(expected.grad_w!);
    problem.b.grad = fromFixture(expected.grad_b!);
    problem.optimizer.step();
    expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `${testCase.optimizer} step ${i} w`);
    expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `${testCase.optimizer} step ${i} b`);
  });
}

function label(testCase: TrajectoryCase): string {
  const groups = testCase.groups ? ` groups ${JSON.stringify(testCase.groups)}` : '';
  return `${testCase.optimizer} w ${testCase.init.w.shape.join('x')}${groups}`;
}

describe('trajectories from shared/fixtures/pytorch/optim.json', () => {
  const cases: TrajectoryCase[] = loadFixture('optim').cases;
  it('has a case for every optimizer', () => {
    const names = new Set(cases.map((c) => c.optimizer.split('(')[0]));
    expect([...names].sort()).toEqual(['Adagrad', 'Adam', 'AdamW', 'RMSprop', 'SGD']);
  });
  for (const testCase of cases) it(label(testCase), () => checkTrajectory(testCase));
});

describe('trajectories from optim-extra.json', () => {
  const cases: TrajectoryCase[] = loadFixture('optim-extra').cases;
  it('has cases', () => expect(cases.length).toBe(35));
  for (const testCase of cases) it(label(testCase), () => checkTrajectory(testCase));
});

describe("update rules on PyTorch's gradients (optim-extra.json)", () => {
  const cases: TrajectoryCase[] = loadFixture('optim-extra').cases;
  for (const testCase of cases) it(label(testCase), () => checkUpdateRule(testCase));

  it('plain SGD matches bit for bit on 6 elements where no fused multiply-add differs', () => {
    // SGD(lr=0.02, maximize=True): param + fround(0.02) * grad; the case's first step rounds identically.
    const testCase = cases.find((c) => c.optimizer === 'SGD(lr=0.02, maximize=True)')!;
    const problem = new MseProblem(testCase);
    problem.w.grad = fromFixture(testCase.steps[0].grad_w!);
    problem.b.grad = fromFixture(testCase.steps[0].grad_b!);
    problem.optimizer.step();
    expect(Array.from(problem.w.dataSync() as Float32Array)).toEqual(testCase.steps[0].w.data);
    expect(Array.from(problem.b.dataSync() as Float32Array)).toEqual(testCase.steps[0].b.data);
  });
});
