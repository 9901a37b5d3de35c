import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, loadNnExtra, type FixtureTensor } from './fixtures.js';

interface OpCase {
  op: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  attrs: Record<string, any>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream: FixtureTensor | null;
  grads: (FixtureTensor | null)[] | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
type OpFn = (inputs: Tensor[], attrs: Record<string, any>) => Tensor;

const optional = (values: number[] | null | undefined) => (values ? torch.tensor(values, { dtype: 'float32' }) : null);
const target = (values: number | number[]) => torch.tensor(values, { dtype: 'int64' });

/** How each fixture op is spelled with @descent/nn's functional API. */
const OPS: Record<string, OpFn> = {
  linear: ([x, w, b]) => F.linear(x, w, b),
  leaky_relu: ([x], { negative_slope }) => F.leakyRelu(x, negative_slope),
  gelu: ([x]) => F.gelu(x),
  silu: ([x]) => F.silu(x),
  seed_model_mse: ([x, w, b, y]) => F.mseLoss(F.linear(x, w, b), y),
  mse_loss: ([a, b], { reduction }) => F.mseLoss(a, b, { reduction }),
  l1_loss: ([a, b], { reduction }) => F.l1Loss(a, b, { reduction }),
  smooth_l1_loss: ([a, b], { reduction, beta }) => F.smoothL1Loss(a, b, { reduction, beta }),
  huber_loss: ([a, b], { reduction, delta }) => F.huberLoss(a, b, { reduction, delta }),
  cross_entropy: ([x], a) =>
    F.crossEntropy(x, target(a.target), {
      reduction: a.reduction,
      weight: optional(a.weight),
      ignoreIndex: a.ignore_index,
      labelSmoothing: a.label_smoothing,
    }),
  cross_entropy_probs: ([x, p], a) =>
    F.crossEntropy(x, p, { reduction: a.reduction, weight: optional(a.weight), labelSmoothing: a.label_smoothing }),
  nll_loss: ([x], a) =>
    F.nllLoss(a.note ? F.logSoftmax(x, 1) : x, target(a.target), {
      reduction: a.reduction,
      weight: optional(a.weight),
      ignoreIndex: a.ignore_index,
    }),
  binary_cross_entropy: ([x, t], a) => F.binaryCrossEntropy(F.sigmoid(x), t, { reduction: a.reduction, weight: optional(a.weight) }),
  binary_cross_entropy_probs: ([p, t], a) => F.binaryCrossEntropy(p, t, { reduction: a.reduction }),
  binary_cross_entropy_with_logits: ([x, t], a) =>
    F.binaryCrossEntropyWithLogits(x, t, { reduction: a.reduction, weight: optional(a.weight), posWeight: optional(a.pos_weight) }),
};

const NN_OPS = new Set([
  'mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss', 'cross_entropy', 'nll_loss', 'binary_cross_entropy',
  'binary_cross_entropy_with_logits', 'linear', 'leaky_relu', 'gelu', 'silu', 'seed_model_mse',
]);

/** The same ops through their module forms. */
const MODULE_OPS: Record<string, OpFn> = {
  leaky_relu: ([x], { negative_slope }) => new nn.LeakyReLU(negative_slope)(x),
  gelu: ([x]) => new nn.GELU()(x),
  silu: ([x]) => new nn.SiLU()(x),
  mse_loss: ([a, b], { reduction }) => new nn.MSELoss({ reduction })(a, b),
  l1_loss: ([a, b], { reduction }) => new nn.L1Loss({ reduction })(a, b),
  smooth_l1_loss: ([a, b], { reduction, beta }) => new nn.SmoothL1Loss({ reduction, beta })(a, b),
  huber_loss: ([a, b], { reduction, delta }) => new nn.HuberLoss({ reduction, delta })(a, b),
  cross_entropy: ([x], a) =>
    new nn.CrossEntropyLoss({
      reduction: a.reduction,
      weight: optional(a.weight),
      ignoreIndex: a.ignore_index,
      labelSmoothing: a.label_smoothing,
    })(x, target(a.target)),
  nll_loss: ([x], a) =>
    new nn.NLLLoss({ reduction: a.reduction, weight: optional(a.weight), ignoreIndex: a.ignore_index })(
      a.note ? new nn.LogSoftmax(1)(x) : x,
      target(a.target),
    ),
  binary_cross_entropy: ([x, t], a) => new nn.BCELoss({ reduction: a.reduction, weight: optional(a.weight) })(new nn.Sigmoid()(x), t),
  binary_cross_entropy_with_logits: ([x, t], a) =>
    new nn.BCEWithLogitsLoss({ reduction: a.reduction, weight: optional(a.weight), posWeight: optional(a.pos_weight) })(x, t),
};

function runCase(c: OpCase, ops: Record<string, OpFn> = OPS): void {
  const inputs = c.inputs.map((t) => fromFixture(t, t.dtype === 'float32'));
  const out = ops[c.op](inputs, c.attrs);
  expectClose(out, c.output, 1e-5, 1e-6, 'output');
  if (!c.grads || !c.upstream) return;
  out.mul(fromFixture(c.upstream)).sum().backward();
  c.grads.forEach((g, k) => {
    if (g === null) return;
    expect(inputs[k].grad, `grad of input ${k}`).not.toBeNull();
    expectClose(inputs[k].grad!, g, 1e-4, 1e-6, `grad of input ${k}`);
  });
}

describe('shared ops.json: losses, activations and linear', () => {
  const cases: OpCase[] = loadFixture('ops').cases.filter((c: OpCase) => NN_OPS.has(c.op));

  it('covers every nn op in the fixture', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(NN_OPS);
  });

  cases.forEach((c, i) => it(`${c.op} #${i}`, () => runCase(c)));
});

describe('nn-extra losses: reductions, weights, ignoreIndex, label smoothing, posWeight', () => {
  const cases: OpCase[] = loadNnExtra().losses;
  cases.forEach((c, i) => it(`${c.op} ${JSON.stringify({ ...c.attrs, target: undefined, weight: undefined })} #${i}`, () => runCase(c)));
});

describe('the same cases through the module forms', () => {
  const cases: OpCase[] = [...loadFixture('ops').cases, ...loadNnExtra().losses].filter((c: OpCase) => MODULE_OPS[c.op]);
  cases.forEach((c, i) => it(`${c.op} #${i}`, () => runCase(c, MODULE_OPS)));
});

describe('loss argument checks', () => {
  const x = torch.randn(4, 3);
  it('rejects an unknown reduction with PyTorch message', () => {
    expect(() => F.mseLoss(x, x, { reduction: 'avg' as 'mean' })).toThrow('avg is not a valid value for reduction');
  });
  it('rejects out-of-range targets and float class indices', () => {
    expect(() => F.crossEntropy(x, target([0, 1, 3, 2]))).toThrow('Target 3 is out of bounds.');
    expect(() => F.nllLoss(x, torch.tensor([0, 1, 2, 0], { dtype: 'float32' }))).toThrow(/expected scalar type Long/);
    expect(() => F.crossEntropy(x, target([0, 1, 2]))).toThrow('Expected input batch_size (4) to match target batch_size (3).');
  });
  it('checks binary cross entropy inputs', () => {
    expect(() => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1], { dtype: 'float32' }))).toThrow(
      'all elements of input should be between 0 and 1',
    );
    expect(() => F.binaryCrossEntropyWithLogits(x, x.index('0:2'))).toThrow(
      'Target size (torch.Size([2, 3])) must be the same as input size (torch.Size([4, 3]))',
    );
  });
  it('checks beta, delta and label smoothing', () => {
    expect(() => F.smoothL1Loss(x, x, { beta: -1 })).toThrow('smooth_l1_loss does not support negative values for beta.');
    expect(() => F.huberLoss(x, x, { delta: 0 })).toThrow('huber_loss does not support non-positive values for delta.');
    expect(() => F.crossEntropy(x, target([0, 1, 2, 0]), { labelSmoothing: 1.5 })).toThrow(
      'label_smoothing must be between 0.0 and 1.0. Got: 1.5',
    );
  });
});
