import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const notebook = (name: string): any => loadFixture('notebooks').cases.find((c: { notebook: string }) => c.notebook.startsWith(name));
const f32 = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32' });

function expectRel(actual: number, expected: number, rtol: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-7);
}

const cropInputs = f32([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]]);
const cropTargets = f32([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]]);

describe('seed 001: gradient descent on y = 2x', () => {
  const x = f32([1, 2, 3, 4]);
  const y = f32([2, 4, 6, 8]);

  it('the numpy-style manual gradient table', () => {
    const fixture = notebook('001 numpy manual gradient');
    let w = torch.tensor(0, { dtype: 'float32' });
    const forward = (input: torch.Tensor | number) => w.mul(input);
    fixture.trace.forEach((row: { w: number; loss: number }) => {
      const yPred = forward(x);
      const l = yPred.sub(y).pow(2).mean();
      const dw = x.mul(2).matmul(yPred.sub(y)).mean(); // np.dot(2*x, y_pred - y).mean()
      w = w.sub(dw.mul(fixture.lr));
      expectRel(l.item() as number, row.loss, 1e-6);
      expectRel(w.item() as number, row.w, 1e-6);
    });
    expectRel(forward(5).item() as number, fixture.f5, 1e-6);
  });

  it('the autograd table', () => {
    const fixture = notebook('001 torch autograd');
    const w = torch.tensor(0, { dtype: 'float32', requiresGrad: true });
    fixture.trace.forEach((row: { w: number; loss: number }) => {
      const l = w.mul(x).sub(y).pow(2).mean();
      l.backward();
      torch.noGrad(() => {
        w.sub_(w.grad!.mul(fixture.lr));
      });
      w.grad!.zero_();
      expectRel(l.item() as number, row.loss, 1e-6);
      expectRel(w.item() as number, row.w, 1e-6);
    });
    expectRel(w.mul(5).item() as number, fixture.f5, 1e-6);
  });
});

describe('seed 000: crop yields, manual model', () => {
  it('reproduces the first loss, gradients, update and the 10,000-epoch fit from the fixture weights', () => {
    const fixture = notebook('000 crop yields manual');
    const weights = f32([fixture.init.weights.slice(0, 3), fixture.init.weights.slice(3)]).requiresGrad_();
    const biases = f32(fixture.init.biases).requiresGrad_();
    const model = (x: torch.Tensor) => x.matmul(weights.t()).add(biases);
    const mse = (p: torch.Tensor, t: torch.Tensor) => {
      const diff = p.sub(t);
      return torch.sum(diff.mul(diff)).div(diff.numel());
    };
    const update = () =>
      torch.noGrad(() => {
        weights.sub_(weights.grad!.mul(1e-5));
        biases.sub_(biases.grad!.mul(1e-5));
      });

    let loss = mse(model(cropInputs), cropTargets);
    expectRel(loss.item() as number, fixture.loss0, 1e-6);
    expect(String(loss)).toMatch(/grad_fn=<DivBackward0>/);
    loss.backward();
    Array.from(weights.grad!.dataSync() as Float32Array).forEach((g, i) => expectRel(g, fixture.grad0.weights[i], 1e-5));
    Array.from(biases.grad!.dataSync() as Float32Array).forEach((g, i) => expectRel(g, fixture.grad0.biases[i], 1e-5));
    update();
    loss = mse(model(cropInputs), cropTargets);
    expectRel(loss.item() as number, fixture.loss1, 1e-5);
    weights.grad!.zero_();
    biases.grad!.zero_();

    // train_model(10000) never zeroes the biases' gradient, so it keeps accumulating (as in the notebook).
    for (let i = 0; i < 10000; i++) {
      mse(model(cropInputs), cropTargets).backward();
      update();
      weights.grad!.zero_();
    }
    expectRel(mse(model(cropInputs), cropTargets).item() as number, fixture.final_loss, 1e-3);
    Array.from(weights.dataSync() as Float32Array).forEach((w, i) => expectRel(w, fixture.weights[i], 1e-3));
    Array.from(biases.dataSync() as Float32Array).forEach((b, i) => expectRel(b, fixture.biases[i], 1e-3));
  }, 60_000); // 10,000 epochs take about 2 s alone, longer while turbo runs every package at once
});

describe('seed 004: crop yields from torch.manualSeed(1337)', () => {
  it('draws the initial weights exactly and ends at loss.sqrt() = 2.3694', () => {
    const fixture = notebook('004 crop yields manual');
    torch.manualSeed(1337);
    const weights = torch.randn(2, 3, { requiresGrad: true });
    const biases = torch.rand(2, { requiresGrad: true });
    expect(Array.from(weights.dataSync() as Float32Array)).toEqual(fixture.init.weights);
    expect(Array.from(biases.dataSync() as Float32Array)).toEqual(fixture.init.biases);
    const model = (x: torch.Tensor) => x.matmul(weights.t()).add(biases);
    let loss = torch.zeros(1);
    for (let i = 0; i < 100; i++) {
      loss = model(cropInputs).sub(cropTargets).pow(2).mean();
      loss.backward();
      torch.noGrad(() => {
        weights.sub_(weights.grad!.mul(1e-4));
        biases.sub_(biases.grad!.mul(1e-4));
        weights.grad!.zero_();
        biases.grad!.zero_();
      });
    }
    expectRel(loss.item() as number, fixture.loss, 1e-4);
    expect((loss.sqrt().item() as number).toFixed(4)).toBe('2.3694');
    Array.from(weights.dataSync() as Float32Array).forEach((w, i) => expectRel(w, fixture.weights[i], 1e-4));
    Array.from(biases.dataSync() as Float32Array).forEach((b, i) => expectRel(b, fixture.biases[i], 1e-4));
  });
});
