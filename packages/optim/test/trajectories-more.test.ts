import { describe, expect, it } from 'vitest';
import { isTensor, type Tensor } from '@descent/tensor';
import { fromPyTorchStateDict, type PyTorchOptimizerStateDict } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { MseProblem, type TrajectoryCase } from './mse-problem.js';

// Adadelta, Adamax, NAdam and RAdam against PyTorch 1.13 (optim-more.json, tooling/fixtures/gen_optim_more.py).
// Tolerances as trajectories.test.ts: float32 op for op, where PyTorch's fused multiply-adds and backward summation
// order differ in the last bits.
const RTOL = 1e-5;
const SCALE_ATOL = 1e-6;

interface MoreCase extends TrajectoryCase {
  state_dict: PyTorchOptimizerStateDict;
}

const cases: MoreCase[] = loadFixture('optim-more').cases;

function expectTensor(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  expectClose(actual, expected, RTOL, SCALE_ATOL * scale, what);
}

function label(testCase: TrajectoryCase): string {
  const groups = testCase.groups ? ` groups ${JSON.stringify(testCase.groups)}` : '';
  return `${testCase.optimizer} w ${testCase.init.w.shape.join('x')}${groups}`;
}

function isFixtureTensor(value: unknown): value is FixtureTensor {
  return typeof value === 'object' && value !== null && 'dtype' in value && 'data' in value;
}

/** The optimizer's stateDict() against PyTorch's state_dict(), read through fromPyTorchStateDict (camelCase names). */
function expectStateDict(problem: MseProblem, expected: PyTorchOptimizerStateDict, what: string): void {
  const want = fromPyTorchStateDict(expected);
  const got = problem.optimizer.stateDict();
  expect(got.paramGroups, `${what} paramGroups`).toEqual(want.paramGroups);
  expect(Object.keys(got.state), `${what} state keys`).toEqual(Object.keys(want.state));
  for (const [index, paramState] of Object.entries(want.state)) {
    const mine = got.state[Number(index)] as Record<string, unknown>;
    expect(Object.keys(mine), `${what} state ${index}`).toEqual(Object.keys(paramState));
    for (const [key, value] of Object.entries(paramState)) {
      const actual = mine[key];
      if (isFixtureTensor(value)) {
        expect(isTensor(actual), `${what} ${key} is a tensor`).toBe(true);
        expect((actual as Tensor).shape).toEqual(value.shape);
        expectTensor((actual as Tensor).dataSync() as Float32Array, value.data, `${what} state ${index} ${key}`);
      } else {
        // PyTorch 1.13 keeps `step` as a float32 tensor (Adamax, NAdam, RAdam) or a number (Adadelta).
        expect(isTensor(actual) ? (actual as Tensor).item() : actual, `${what} ${key}`).toEqual(value);
      }
    }
  }
}

describe('trajectories from optim-more.json', () => {
  it('has cases for each optimizer', () => {
    const names = new Set(cases.map((c) => c.optimizer.split('(')[0]));
    expect([...names].sort()).toEqual(['Adadelta', 'Adamax', 'NAdam', 'RAdam']);
  });

  for (const testCase of cases) {
    it(label(testCase), () => {
      const problem = new MseProblem(testCase);
      testCase.steps.forEach((expected, i) => {
        const loss = problem.trainStep();
        expectClose([loss], [expected.loss], RTOL, 0, `step ${i} loss`);
        expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `step ${i} w`);
        expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `step ${i} b`);
      });
      expectStateDict(problem, testCase.state_dict, testCase.optimizer);
    });
  }
});

describe("update rules on PyTorch's gradients (optim-more.json)", () => {
  for (const testCase of cases) {
    it(label(testCase), () => {
      const problem = new MseProblem(testCase);
      testCase.steps.forEach((expected, i) => {
        problem.w.grad = fromFixture(expected.grad_w!);
        problem.b.grad = fromFixture(expected.grad_b!);
        problem.optimizer.step();
        expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `step ${i} w`);
        expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `step ${i} b`);
      });
    });
  }
});

describe('stateDict / loadStateDict resume the new optimizers exactly', () => {
  for (const name of ['Adadelta(lr=0.5, rho=0.95, weight_decay=0.05, maximize=True)', 'Adamax(lr=0.05, weight_decay=0.1)',
    'NAdam(lr=0.05, betas=(0.8, 0.9), momentum_decay=0.01)', 'RAdam(lr=0.05, betas=(0.8, 0.9))']) {
    it(name, () => {
      const testCase = cases.find((c) => c.optimizer === name && !c.groups)!;
      const original = new MseProblem(testCase);
      for (let i = 0; i < 4; i++) original.trainStep();
      const saved = original.optimizer.stateDict();
      const params = [original.w.detach().clone(), original.b.detach().clone()];
      const resumed = new MseProblem(testCase);
      resumed.w.detach().copy_(params[0]);
      resumed.b.detach().copy_(params[1]);
      resumed.optimizer.loadStateDict(saved);
      for (let i = 4; i < testCase.steps.length; i++) {
        original.trainStep();
        resumed.trainStep();
        expect(Array.from(resumed.w.dataSync() as Float32Array)).toEqual(Array.from(original.w.dataSync() as Float32Array));
      }
      expectTensor(resumed.w.dataSync() as Float32Array, testCase.steps.at(-1)!.w.data, `${name} resumed w`);
    });
  }
});
