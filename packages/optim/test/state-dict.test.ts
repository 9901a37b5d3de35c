import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@descent/tensor';
import { Adam, SGD, isOptimizerStateDict, toPyTorchStateDict } from '../src/index.js';
import { fromFixture, loadFixture } from './fixtures.js';
import { MseProblem, type TrajectoryCase } from './mse-problem.js';

const ROUND_TRIP_CASES = [
  'SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05)',
  'SGD(lr=0.05)',
  'Adam(lr=0.05, weight_decay=0.1, amsgrad=True, maximize=True)',
  'AdamW(lr=0.05, weight_decay=0.5, amsgrad=True)',
  'RMSprop(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)',
  'Adagrad(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-06, maximize=True)',
];

describe('stateDict / loadStateDict resume training exactly', () => {
  const cases: TrajectoryCase[] = loadFixture('optim-extra').cases;
  for (const name of ROUND_TRIP_CASES) {
    it(name, () => {
      const testCase = cases.find((c) => c.optimizer === name && !c.groups)!;
      const original = new MseProblem(testCase);
      for (let i = 0; i < 3; i++) original.trainStep();
      const saved = original.optimizer.stateDict();
      const wAt3 = original.w.detach().clone();
      const bAt3 = original.b.detach().clone();
      const continued: number[][] = [];
      for (let i = 0; i < 3; i++) {
        original.trainStep();
        continued.push([...(original.w.dataSync() as Float32Array), ...(original.b.dataSync() as Float32Array)]);
      }

      // A fresh run from the step-3 parameters and the saved state (which the 3 later steps must not have touched).
      const resumed = new MseProblem(testCase);
      resumed.w.detach().copy_(wAt3);
      resumed.b.detach().copy_(bAt3);
      resumed.optimizer.loadStateDict(saved);
      for (let i = 0; i < 3; i++) {
        resumed.trainStep();
        expect([...(resumed.w.dataSync() as Float32Array), ...(resumed.b.dataSync() as Float32Array)]).toEqual(continued[i]);
      }
      // And they match PyTorch's steps 4 to 6.
      expect((resumed.w.dataSync() as Float32Array)[0]).toBeCloseTo(testCase.steps[5].w.data[0], 5);
    });
  }

  it("has PyTorch's layout: state by parameter index, groups with params as indices", () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true });
    const b = tensor([0.5, -0.5], { requiresGrad: true });
    const optimizer = new Adam([{ params: [w] }, { params: [b], lr: 0.1, amsgrad: true }], { lr: 0.01 });
    w.grad = tensor([[0.1, 0.2], [0.3, 0.4]]);
    b.grad = tensor([1, -1], { dtype: 'float32' });
    optimizer.step();
    optimizer.step();
    const dict = optimizer.stateDict();
    expect(Object.keys(dict.state)).toEqual(['0', '1']);
    expect(Object.keys(dict.state[0])).toEqual(['step', 'expAvg', 'expAvgSq']);
    expect(Object.keys(dict.state[1])).toEqual(['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    expect(dict.state[0].step.item()).toBe(2);
    expect(dict.state[0].expAvg.shape).toEqual([2, 2]);
    expect(dict.paramGroups).toEqual([
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0] },
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [1] },
    ]);
    // Deep copies: the saved tensors are not the optimizer's.
    expect(dict.state[0].expAvg).not.toBe(optimizer.state.get(w)!.expAvg);
    optimizer.step();
    expect(dict.state[0].step.item()).toBe(2);
  });

  it('restores hyperparameters, keeps the new parameters, and copies what it loads', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const source = new SGD([w], { lr: 0.5, momentum: 0.9 });
    w.grad = tensor([1, 1], { dtype: 'float32' });
    source.step();
    const dict = source.stateDict();

    const v = tensor([0, 0], { dtype: 'float32', requiresGrad: true });
    const target = new SGD([v], { lr: 0.1 });
    target.loadStateDict(dict);
    expect(target.paramGroups[0].lr).toBe(0.5);
    expect(target.paramGroups[0].momentum).toBe(0.9);
    expect(target.paramGroups[0].params[0]).toBe(v);
    const buffer = target.state.get(v)!.momentumBuffer!;
    expect(Array.from(buffer.dataSync() as Float32Array)).toEqual([1, 1]);
    expect(buffer).not.toBe(dict.state[0].momentumBuffer);
    (dict.paramGroups[0] as { lr: number }).lr = 7;
    expect(target.paramGroups[0].lr).toBe(0.5);
  });

  it('upgrades a numeric Adam step into a tensor', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const optimizer = new Adam([w]);
    optimizer.loadStateDict({
      state: { 0: { step: 4 as unknown as Tensor, expAvg: tensor([0.1, 0.1]), expAvgSq: tensor([0.01, 0.01]) } },
      paramGroups: [{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0] }],
    });
    w.grad = tensor([0.1, 0.1]);
    optimizer.step();
    expect(optimizer.state.get(w)!.step.item()).toBe(5);
  });

  it('rejects a state dict of another shape', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = tensor([3], { dtype: 'float32', requiresGrad: true });
    const two = new SGD([{ params: [w] }, { params: [b] }], { lr: 0.1 });
    const one = new SGD([w, b], { lr: 0.1 });
    expect(() => one.loadStateDict(two.stateDict())).toThrow('loaded state dict has a different number of parameter groups');
    const single = new SGD([w], { lr: 0.1 });
    expect(() => single.loadStateDict(one.stateDict())).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });

  it('loads into parameters built from fixture data', () => {
    const testCase: TrajectoryCase = loadFixture('optim').cases[4];
    const w = fromFixture(testCase.init.w).requiresGrad_();
    const optimizer = new Adam([w], { lr: 0.05 });
    expect(optimizer.stateDict()).toEqual({ state: {}, paramGroups: [expect.objectContaining({ params: [0] })] });
  });
});

describe("PyTorch's own layout (param_groups, snake_case names), as Python's optimizer.state_dict() writes it", () => {
  const cases: TrajectoryCase[] = loadFixture('optim-extra').cases;

  it('toPyTorchStateDict renames to PyTorch\'s keys and keys the state by integer', () => {
    const testCase = cases.find((c) => c.optimizer === ROUND_TRIP_CASES[0] && !c.groups)!;
    const problem = new MseProblem(testCase);
    problem.trainStep();
    const dict = problem.optimizer.stateDict();
    expect(isOptimizerStateDict(dict)).toBe(true);
    expect(JSON.stringify(Object.keys(dict))).toBe('["state","paramGroups"]'); // the mark is hidden
    const python = toPyTorchStateDict(dict);
    expect([...python.state.keys()]).toEqual([0, 1]);
    expect(Object.keys(python.state.get(0)!)).toEqual(['momentum_buffer']);
    expect(Object.keys(python.param_groups[0]).sort()).toEqual(['dampening', 'lr', 'maximize', 'momentum', 'nesterov', 'params', 'weight_decay']);
  });

  for (const name of ROUND_TRIP_CASES) {
    it(`${name}: loadStateDict takes it and resumes exactly; PyTorch-only switches (foreach...) are dropped`, () => {
      const testCase = cases.find((c) => c.optimizer === name && !c.groups)!;
      const original = new MseProblem(testCase);
      for (let i = 0; i < 3; i++) original.trainStep();
      const python = toPyTorchStateDict(original.optimizer.stateDict());
      python.param_groups.forEach((group) => Object.assign(group, { foreach: null, differentiable: false }));
      const [wAt3, bAt3] = [original.w.detach().clone(), original.b.detach().clone()];
      original.trainStep();

      const resumed = new MseProblem(testCase);
      resumed.w.detach().copy_(wAt3);
      resumed.b.detach().copy_(bAt3);
      resumed.optimizer.loadStateDict(python);
      expect(Object.keys(resumed.optimizer.paramGroups[0]).filter((key) => /_|foreach|differentiable/.test(key))).toEqual([]);
      resumed.trainStep();
      expect([...resumed.w.dataSync(), ...resumed.b.dataSync()]).toEqual([...original.w.dataSync(), ...original.b.dataSync()]);
    });
  }
});
