import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, expectExact, fromFixture, loadNnExtra, type FixtureTensor } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const cases: Record<string, any> = Object.fromEntries(loadNnExtra().training.map((c: { name: string }) => [c.name, c]));

describe('a training step through an MLP matches PyTorch', () => {
  it('Linear-ReLU-Linear with CrossEntropyLoss: loss, gradients, SGD step, zeroGrad', () => {
    const c = cases.mlp_cross_entropy;
    torch.manualSeed(c.seed);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const initial = model.stateDict();
    for (const [name, t] of Object.entries(c.initial as Record<string, FixtureTensor>)) expectExact(initial[name], t, name);
    const x = torch.randn(5, 4);
    expectExact(x, c.x, 'x from the same stream');
    const y = fromFixture(c.y);
    const criterion = new nn.CrossEntropyLoss();
    const loss = criterion(model(x), y);
    expect(loss.item()).toBeCloseTo(c.loss, 6);
    loss.backward();
    for (const [name, p] of model.namedParameters()) expectClose(p.grad!, c.grads[name], 1e-5, 1e-7, `grad of ${name}`);
    torch.noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.1));
    });
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad !== null && p.grad.abs().sum().item() === 0)).toBe(c.grads_zeroed);
    const after = model.stateDict();
    for (const [name, t] of Object.entries(c.after_step as Record<string, FixtureTensor>)) expectClose(after[name], t, 1e-6, 1e-7, name);
    expect(criterion(model(x), y).item()).toBeCloseTo(c.loss_after_step, 6);
  });

  it('Linear-BatchNorm-Tanh-Dropout-Linear with mseLoss in training mode (dropout mask from the same stream)', () => {
    const c = cases.mlp_batchnorm_dropout_mse;
    torch.manualSeed(c.seed);
    const model = new nn.Sequential(new nn.Linear(3, 5), new nn.BatchNorm1d(5), new nn.Tanh(), new nn.Dropout(0.5), new nn.Linear(5, 1));
    const x = torch.randn(6, 3);
    const y = torch.randn(6, 1);
    expectExact(x, c.x, 'x');
    expectExact(y, c.y, 'y');
    const pred = model(x);
    expectClose(pred, c.pred, 1e-5, 1e-6, 'pred');
    const loss = F.mseLoss(pred, y);
    expect(loss.item()).toBeCloseTo(c.loss, 5);
    loss.backward();
    for (const [name, p] of model.namedParameters()) expectClose(p.grad!, c.grads[name], 1e-4, 1e-6, `grad of ${name}`);
    for (const [name, b] of model.namedBuffers()) expectClose(b, c.buffers[name], 1e-5, 1e-7, name);
  });
});
