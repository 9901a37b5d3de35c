// Notebook 002: linear regression on y = 2x + 1 with a Module subclass, MSELoss and SGD; then predictions, and
// saving and loading the state dict. The PyTorch original is pytorch/002-linear-regression.py.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '@descent/torch';

const { nn } = torch;

// #region data
const xValues = Array.from({ length: 11 }, (_, i) => i);
const xTrain = torch.tensor(xValues, { dtype: 'float32' }).reshape(-1, 1); // IMPORTANT: 2D required
const yValues = xValues.map((i) => 2 * i + 1);
const yTrain = torch.tensor(yValues, { dtype: 'float32' }).reshape(-1, 1);
console.log(xTrain.shape, yTrain.shape);
// #endregion data

// #region model
class LinearRegressionModel extends nn.Module {
  linear: torch.nn.Linear;

  constructor(inputDim: number, outputDim: number) {
    super();
    this.linear = new nn.Linear(inputDim, outputDim);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    const out = this.linear(x);
    return out;
  }
}

torch.manualSeed(0);
const device = torch.device('cpu'); // or 'webgpu' after `await torch.webgpu.init()`
const model = new LinearRegressionModel(1, 1).to(device);
const criterion = new nn.MSELoss();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
// #endregion model

// #region train
const epochs = 100;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const inputs = xTrain.to(device);
  const labels = yTrain.to(device);
  optimizer.zeroGrad();
  const outputs = model(inputs);
  const loss = criterion(outputs, labels);
  loss.backward();
  optimizer.step();
  if (epoch <= 5 || epoch % 20 === 0) console.log(`epoch ${epoch}, loss ${(loss.item() as number).toFixed(8)}`);
}
// #endregion train

// #region predict
const predicted = torch.noGrad(() => model(xTrain.to(device)));
console.log(predicted.t());
// #endregion predict

// #region save
const path = join(mkdtempSync(join(tmpdir(), 'descent-')), 'awesome_model.pkl');
await torch.save(model.stateDict(), path);
const restored = new LinearRegressionModel(1, 1);
restored.loadStateDict(await torch.load(path));
console.log(restored.linear.weight.item() === model.linear.weight.item());
// #endregion save
