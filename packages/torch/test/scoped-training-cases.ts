// The training problem of fixtures/scoped-training.json (written by fixtures/gen_scoped_training.py from PyTorch 1.13),
// run with every step in a scope or without, on any device. Used by scoped-training.test.ts and its WebGPU twin.

import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

export interface TrainingCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  steps: { loss: number; state: Record<string, FixtureTensor> }[];
}

export interface ScopedTrainingFixture {
  x: FixtureTensor;
  y: FixtureTensor;
  init: Record<string, FixtureTensor>;
  cases: TrainingCase[];
}

export const fixture: ScopedTrainingFixture = loadFixture('scoped-training', new URL('./fixtures/', import.meta.url));

export function fromFixture(t: FixtureTensor): torch.Tensor {
  return torch.fromArray(t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data), t.shape);
}

/** The fixture's model, loaded with its initial state and moved to `device`. */
export function buildModel(device: torch.DeviceLike = 'cpu'): torch.nn.Sequential {
  const { nn } = torch;
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
  model.loadStateDict(Object.fromEntries(Object.entries(fixture.init).map(([key, t]) => [key, fromFixture(t)])));
  return model.to(device);
}

export function makeOptimizer(testCase: TrainingCase, params: torch.Tensor[]): torch.optim.Optimizer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options come from the fixture
  return new (torch.optim[testCase.optimizer] as any)(params, testCase.options) as torch.optim.Optimizer;
}

/** zeroGrad, forward, backward, step; returns the loss (computed before the step). */
export function trainStep(model: torch.nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor): torch.Tensor {
  optimizer.zeroGrad();
  const loss = torch.nn.functional.mseLoss(model(x), y);
  loss.backward();
  optimizer.step();
  return loss;
}

/** Every tensor an optimizer holds in `state`. */
export function optimizerStateTensors(optimizer: torch.optim.Optimizer): torch.Tensor[] {
  const tensors: torch.Tensor[] = [];
  for (const state of optimizer.state.values()) {
    for (const value of Object.values(state as Record<string, unknown>)) if (value instanceof torch.Tensor) tensors.push(value);
  }
  return tensors;
}

/** Asserts `actual` is within `rtol * |expected| + atol * max|expected|` of `expected`, element by element. */
export function expectClose(actual: ArrayLike<number | bigint>, expected: FixtureTensor, rtol: number, atol: number, what: string): void {
  const scale = Math.max(1e-30, ...expected.data.map(Math.abs));
  if (actual.length !== expected.data.length) throw new Error(`${what}: length ${actual.length} != ${expected.data.length}`);
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(Number(actual[i]) - expected.data[i]);
    if (!(diff <= rtol * Math.abs(expected.data[i]) + atol * scale)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected.data[i]} (diff ${diff.toExponential(2)})`);
    }
  }
}
