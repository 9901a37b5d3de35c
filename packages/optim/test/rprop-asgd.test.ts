import { describe, expect, it } from 'vitest';
import { isTensor, tensor, type Tensor } from '@descent/tensor';
import * as optim from '../src/index.js';
import { fromPyTorchStateDict, type PyTorchOptimizerStateDict } from '../src/index.js';
import { camelCase, expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { MseProblem, type TrajectoryCase } from './mse-problem.js';

// Rprop, ASGD and SparseAdam against PyTorch 1.13 (optim-rprop-asgd.json, tooling/fixtures/gen_optim_rprop_asgd.py).
// Tolerances as trajectories-more.test.ts.
const RTOL = 1e-5;
const SCALE_ATOL = 1e-6;

interface Case extends TrajectoryCase {
  state_dict: PyTorchOptimizerStateDict;
}

const golden = loadFixture('optim-rprop-asgd');
const cases: Case[] = golden.cases;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every optimizer's groups, read by key
type OptimizerClass = new (params: Tensor[], ...args: any[]) => optim.Optimizer<any>;
const CLASSES: Record<string, OptimizerClass> = { Rprop: optim.Rprop, ASGD: optim.ASGD, SparseAdam: optim.SparseAdam };

const param = (): Tensor => tensor([1, 2], { dtype: 'float32', requiresGrad: true });

function expectTensor(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  expectClose(actual, expected, RTOL, SCALE_ATOL * scale, what);
}

const isFixtureTensor = (value: unknown): value is FixtureTensor => typeof value === 'object' && value !== null && 'dtype' in value && 'data' in value;

/** stateDict() against PyTorch's state_dict() read through fromPyTorchStateDict: keys in order, values, groups. */
function expectStateDict(optimizer: optim.Optimizer, expected: PyTorchOptimizerStateDict, what: string): void {
  const want = fromPyTorchStateDict(expected);
  const got = optimizer.stateDict();
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
        // Rprop keeps `step` as a number, ASGD as a float32 tensor, as PyTorch 1.13.
        expect(isTensor(actual) ? (actual as Tensor).item() : actual, `${what} ${key}`).toEqual(value);
      }
    }
  }
}

const label = (c: TrajectoryCase) => `${c.optimizer} w ${c.init.w.shape.join('x')}${c.groups ? ` groups ${JSON.stringify(c.groups)}` : ''}`;

describe('Rprop and ASGD trajectories against PyTorch 1.13', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_, testCase) => {
    const problem = new MseProblem(testCase);
    testCase.steps.forEach((expected, i) => {
      const loss = problem.trainStep();
      expectClose([loss], [expected.loss], RTOL, 0, `step ${i} loss`);
      expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `step ${i} w`);
      expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `step ${i} b`);
    });
    expectStateDict(problem.optimizer, testCase.state_dict, testCase.optimizer);
  });

  it.each(cases.map((c) => [label(c), c] as const))("%s: the update rule on PyTorch's gradients", (_, testCase) => {
    const problem = new MseProblem(testCase);
    testCase.steps.forEach((expected, i) => {
      problem.w.grad = fromFixture(expected.grad_w!);
      problem.b.grad = fromFixture(expected.grad_b!);
      problem.optimizer.step();
      expectTensor(problem.w.dataSync() as Float32Array, expected.w.data, `step ${i} w`);
      expectTensor(problem.b.dataSync() as Float32Array, expected.b.data, `step ${i} b`);
    });
  });

  it.each(['Rprop(lr=0.05, etas=(0.3, 1.5), step_sizes=(0.001, 0.1))', 'ASGD(lr=0.05, lambd=0.01, alpha=0.5, t0=3)'])(
    '%s: stateDict / loadStateDict (also in PyTorch\'s layout) resume exactly',
    (name) => {
      const testCase = cases.find((c) => c.optimizer === name && !c.groups)!;
      const original = new MseProblem(testCase);
      for (let i = 0; i < 4; i++) original.trainStep();
      const saved = original.optimizer.stateDict();
      const python = optim.toPyTorchStateDict(saved);
      const at4 = [original.w.detach().clone(), original.b.detach().clone()];
      const resumed = [new MseProblem(testCase), new MseProblem(testCase)];
      resumed.forEach((r, k) => {
        r.w.detach().copy_(at4[0]);
        r.b.detach().copy_(at4[1]);
        r.optimizer.loadStateDict(k === 0 ? saved : python);
      });
      for (let i = 4; i < testCase.steps.length; i++) {
        original.trainStep();
        for (const r of resumed) {
          r.trainStep();
          expect(Array.from(r.w.dataSync() as Float32Array)).toEqual(Array.from(original.w.dataSync() as Float32Array));
        }
      }
      expectTensor(resumed[1].w.dataSync() as Float32Array, testCase.steps.at(-1)!.w.data, `${name} resumed w`);
    },
  );
});

describe("Rprop, ASGD and SparseAdam: PyTorch's defaults, arguments and errors", () => {
  it.each((golden.defaults as { optimizer: string; state_dict: PyTorchOptimizerStateDict }[]).map((d) => [d.optimizer, d] as const))(
    '%s(params) has PyTorch\'s default hyperparameters',
    (name, d) => expectStateDict(new CLASSES[name]([param()]), d.state_dict, name),
  );

  it.each(Object.keys(CLASSES))('new %s(params, 0.05) and new %s(params, 0.05, options)', (name) => {
    const Optimizer = CLASSES[name];
    expect(new Optimizer([param()], 0.05).paramGroups[0].lr).toBe(0.05);
    const withOptions = new Optimizer([param()], 0.05, { maximize: true });
    expect([withOptions.paramGroups[0].lr, withOptions.paramGroups[0].maximize]).toEqual([0.05, true]);
  });

  const errors: { optimizer: string; lr: number | null; kwargs: Record<string, unknown>; error: string; message: string }[] = golden.optimizer_errors;
  it.each(errors.map((e) => [`${e.optimizer}(params${e.lr === null ? '' : `, ${e.lr}`}, ${JSON.stringify(e.kwargs)})`, e] as const))('%s raises', (_, e) => {
    const options = Object.fromEntries(Object.entries(e.kwargs).map(([k, v]) => [camelCase(k), v]));
    const Optimizer = CLASSES[e.optimizer];
    const make = () => (e.lr === null ? new Optimizer([param()], options) : new Optimizer([param()], e.lr, options));
    // Python writes a whole float as `2.0`, JavaScript as `2`.
    expect(make).toThrow(e.message.replace(/(\d)\.0(?!\d)/g, '$1'));
    expect(make).toThrow(e.error === 'TypeError' ? TypeError : RangeError);
  });

  it("SparseAdam refuses a dense gradient with PyTorch's error, before creating any state", () => {
    const [{ message }] = golden.step_errors as { message: string }[];
    const w = param();
    const optimizer = new optim.SparseAdam([w]);
    optimizer.step();
    w.grad = tensor([1, 1], { dtype: 'float32' });
    expect(() => optimizer.step()).toThrow(message);
    expect(optimizer.state.size).toBe(0);
    expect(Array.from(w.dataSync() as Float32Array)).toEqual([1, 2]);
  });

  it('Rprop skips the step where the gradient flips sign, and shrinks that step size', () => {
    const w = tensor([0, 0], { dtype: 'float32', requiresGrad: true });
    const optimizer = new optim.Rprop([w], 0.1);
    w.grad = tensor([1, -1], { dtype: 'float32' });
    optimizer.step();
    w.grad = tensor([1, 1], { dtype: 'float32' });
    optimizer.step();
    const state = optimizer.state.get(w)!;
    expect(Array.from(w.dataSync() as Float32Array)).toEqual([Math.fround(-0.1 - Math.fround(0.1 * 1.2)), Math.fround(0.1)]);
    expect(Array.from(state.prev.dataSync() as Float32Array)).toEqual([1, 0]);
    expect(Array.from(state.stepSize.dataSync() as Float32Array)).toEqual([Math.fround(Math.fround(0.1) * Math.fround(1.2)), Math.fround(0.05)]);
    expect(state.step).toBe(2);
  });
});
