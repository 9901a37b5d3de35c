// Runs the fixtures' training problem, `mse_loss(x @ w + b, y)`, with a Descent optimizer.

import '@descent/autograd';
import type { Tensor } from '@descent/tensor';
import * as optim from '../src/index.js';
import { fromFixture, parseCall, type FixtureTensor } from './fixtures.js';

export interface TrajectoryStep {
  loss: number;
  /** The gradients PyTorch's step used (optim-extra.json only). */
  grad_w?: FixtureTensor;
  grad_b?: FixtureTensor;
  w: FixtureTensor;
  b: FixtureTensor;
}

export interface TrajectoryCase {
  optimizer: string;
  x: FixtureTensor;
  y: FixtureTensor;
  init: { w: FixtureTensor; b: FixtureTensor };
  groups?: Array<Record<string, unknown> & { params: Array<'w' | 'b'> }>;
  steps: TrajectoryStep[];
}

const OPTIMIZERS = {
  SGD: optim.SGD,
  Adam: optim.Adam,
  AdamW: optim.AdamW,
  RMSprop: optim.RMSprop,
  Adagrad: optim.Adagrad,
  Adadelta: optim.Adadelta,
  Adamax: optim.Adamax,
  NAdam: optim.NAdam,
  RAdam: optim.RAdam,
  LBFGS: optim.LBFGS,
  Rprop: optim.Rprop,
  ASGD: optim.ASGD,
};

export class MseProblem {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly w: Tensor;
  readonly b: Tensor;
  readonly optimizer: optim.Optimizer;

  constructor(readonly testCase: TrajectoryCase) {
    this.x = fromFixture(testCase.x);
    this.y = fromFixture(testCase.y);
    this.w = fromFixture(testCase.init.w).requiresGrad_();
    this.b = fromFixture(testCase.init.b).requiresGrad_();
    this.optimizer = this.makeOptimizer();
  }

  /** A fresh optimizer over the same parameters, built from the case's constructor call. */
  makeOptimizer(): optim.Optimizer {
    const { name, options } = parseCall(this.testCase.optimizer);
    const Optimizer = OPTIMIZERS[name as keyof typeof OPTIMIZERS];
    if (!Optimizer) throw new Error(`unknown optimizer ${name}`);
    const tensors = { w: this.w, b: this.b };
    const params = this.testCase.groups
      ? this.testCase.groups.map((group) => ({ ...camelKeys(group), params: group.params.map((p) => tensors[p]) }))
      : [this.w, this.b];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options parsed from the fixture's string
    return new (Optimizer as any)(params, options) as optim.Optimizer;
  }

  loss(): Tensor {
    const diff = this.x.matmul(this.w).add(this.b).sub(this.y);
    return diff.mul(diff).mean();
  }

  /** zeroGrad, forward, backward, step: returns the loss before the step. */
  trainStep(optimizer = this.optimizer): number {
    optimizer.zeroGrad();
    const loss = this.loss();
    loss.backward();
    optimizer.step();
    return loss.item() as number;
  }
}

function camelKeys(group: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group)) {
    if (key !== 'params') out[key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  return out;
}
