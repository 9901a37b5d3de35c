import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = any;
const cases = (prefix: string): Case[] => loadFixture('notebooks').cases.filter((c: Case) => c.notebook.startsWith(prefix));
const f32 = (data: number[][]) => torch.tensor(data, { dtype: 'float32' });

function expectRel(actual: number, expected: number, rtol = 1e-4): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-6);
}

describe('seed 001: nn.Linear(1, 1) + MSELoss + SGD', () => {
  for (const c of cases('001 nn.Linear')) {
    it(`seed ${c.seed}: the printed table and f(5)`, () => {
      torch.manualSeed(c.seed);
      const x = f32([[1], [2], [3], [4]]);
      const y = f32([[2], [4], [6], [8]]);
      const xTest = torch.tensor([5], { dtype: 'float32' });
      const model = new torch.nn.Linear(1, 1);
      expectRel(model(xTest).item() as number, c.before_f5, 1e-6);
      const loss = new torch.nn.MSELoss();
      const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
      const rows: { epoch: number; w: number; loss: number }[] = [];
      for (let epoch = 0; epoch < 100; epoch++) {
        const l = loss(y, model(x));
        l.backward();
        optimizer.step();
        optimizer.zeroGrad();
        if (epoch % 10 === 0) rows.push({ epoch: epoch + 1, w: model.weight.index(0, 0).item() as number, loss: l.item() as number });
      }
      rows.forEach((row, i) => {
        expect(row.epoch).toBe(c.trace[i].epoch);
        expectRel(row.w, c.trace[i].w);
        expectRel(row.loss, c.trace[i].loss);
      });
      expectRel(model(xTest).item() as number, c.f5);
    });
  }
});

describe('seed 000: nn.Linear + TensorDataset + DataLoader + fit', () => {
  const inputs = f32([
    [73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70], [74, 66, 43], [91, 87, 65], [88, 134, 59],
    [101, 44, 37], [68, 96, 71], [73, 66, 44], [92, 87, 64], [87, 135, 57], [103, 43, 36], [68, 97, 70],
  ]);
  const targets = f32([
    [56, 70], [81, 101], [119, 133], [22, 37], [103, 119], [57, 69], [80, 102], [118, 132], [21, 38], [104, 118],
    [57, 69], [82, 100], [118, 134], [20, 38], [102, 120],
  ]);

  for (const c of cases('000 nn.Linear + DataLoader fit')) {
    it(`seed ${c.seed}, batch ${c.batch_size}: first batch, loss trace, final state and prediction`, () => {
      // The fixture's order: seed, model, loader; the first batch is the first of epoch 1 (no peek before fit).
      torch.manualSeed(c.seed);
      const model = new torch.nn.Linear(3, 2);
      expect(Array.from(model.weight.dataSync() as Float32Array)).toEqual(c.init.weight);
      expect(Array.from(model.bias!.dataSync() as Float32Array)).toEqual(c.init.bias);
      const trainDl = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(inputs, targets), {
        batchSize: c.batch_size,
        shuffle: true,
      });
      const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-5 });
      const trace: { epoch: number; last_batch_loss: number }[] = [];
      for (let epoch = 0; epoch < c.epochs; epoch++) {
        let last = 0;
        for (const [xb, yb] of trainDl) {
          if (epoch === 0 && last === 0) expect(Array.from(xb.dataSync() as Float32Array)).toEqual(c.first_batch_x);
          const loss = torch.nn.functional.mseLoss(model(xb), yb);
          loss.backward();
          opt.step();
          opt.zeroGrad();
          last = loss.item() as number;
        }
        if ((epoch + 1) % 10 === 0) trace.push({ epoch: epoch + 1, last_batch_loss: last });
      }
      trace.forEach((row, i) => {
        expect(row.epoch).toBe(c.trace[i].epoch);
        expectRel(row.last_batch_loss, c.trace[i].last_batch_loss, 1e-3);
      });
      expectRel(torch.nn.functional.mseLoss(model(inputs), targets).item() as number, c.final_full_loss, 1e-3);
      Array.from(model.weight.dataSync() as Float32Array).forEach((w, i) => expectRel(w, c.state.weight[i], 1e-3));
      const prediction = model(torch.tensor([[75, 63, 44]], { dtype: 'float32' }));
      Array.from(prediction.dataSync() as Float32Array).forEach((p, i) => expectRel(p, c.predict_75_63_44[i], 1e-3));
    });
  }
});

describe('seed 002: y = 2x + 1 with a Module subclass', () => {
  it('matches the loss of every epoch, the predictions and the final parameters', () => {
    const [c] = cases('002');
    class LinearRegressionModel extends torch.nn.Module {
      linear: torch.nn.Linear;
      constructor(inputDim: number, outputDim: number) {
        super();
        this.linear = new torch.nn.Linear(inputDim, outputDim);
      }
      override forward(x: torch.Tensor): torch.Tensor {
        return this.linear(x);
      }
    }
    torch.manualSeed(c.seed);
    const xTrain = f32(Array.from({ length: 11 }, (_, i) => [i]));
    const yTrain = xTrain.mul(2).add(1);
    const model = new LinearRegressionModel(1, 1);
    expect(model.parameters()).toHaveLength(2);
    const criterion = new torch.nn.MSELoss();
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 100; epoch++) {
      const inputs = xTrain.clone().requiresGrad_();
      optimizer.zeroGrad();
      const loss = criterion(model(inputs), yTrain);
      loss.backward();
      optimizer.step();
      losses.push(loss.item() as number);
    }
    losses.forEach((l, i) => expectRel(l, c.losses[i], 2e-3));
    const predicted = Array.from(torch.noGrad(() => model(xTrain)).dataSync() as Float32Array);
    predicted.forEach((p, i) => expectRel(p, c.predicted[i], 1e-4));
    expectRel(model.linear.weight.item() as number, c.state.weight[0], 1e-4);
    expectRel(model.linear.bias!.item() as number, c.state.bias[0], 1e-4);
  });
});

describe('printing the built-ins like the notebook', () => {
  it('nn.Linear on a batch prints grad_fn=<AddmmBackward0>, F.mse_loss prints grad_fn=<MseLossBackward0>', () => {
    torch.manualSeed(0);
    const model = new torch.nn.Linear(3, 2);
    const x = torch.tensor([[73, 67, 43], [91, 88, 64]], { dtype: 'float32' });
    const preds = model(x);
    expect(String(preds)).toMatch(/grad_fn=<AddmmBackward0>\)$/);
    expect(String(model(x.index(0)))).toMatch(/grad_fn=<AddBackward0>\)$/);
    // A new region written as integers (int32 in JS) is promoted, as the notebooks' float literals would be.
    expect(model(torch.tensor([[75, 63, 44]])).tolist()).toEqual(model(torch.tensor([[75, 63, 44]], { dtype: 'float32' })).tolist());
    expect(String(torch.nn.functional.mseLoss(preds, torch.zeros(2, 2)))).toMatch(/grad_fn=<MseLossBackward0>\)$/);
  });
});
