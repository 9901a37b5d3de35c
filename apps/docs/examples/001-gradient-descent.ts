// Notebook 001: gradient descent on y = 2x, by autograd, then with an optimizer, then with nn.Linear in a Module.
// The PyTorch original is pytorch/001-gradient-descent.py.
import * as torch from '@descent/torch';

const { nn } = torch;

// #region manual
let x = torch.tensor([1, 2, 3, 4], { dtype: 'float32' });
let y = torch.tensor([2, 4, 6, 8], { dtype: 'float32' });
let w = torch.tensor(0.0, { dtype: 'float32', requiresGrad: true });

const forward = (x: torch.Tensor | number) => w.mul(x);
const mse = (y: torch.Tensor, yPred: torch.Tensor) => yPred.sub(y).pow(2).mean();
const num = (t: torch.Tensor) => t.item() as number;

console.log(`Prediction before training: f(5) = ${num(forward(5)).toFixed(3)}`);
const learningRate = 0.01;
const nIters = 20;
for (let epoch = 0; epoch < nIters; epoch++) {
  const yPred = forward(x);
  const l = mse(y, yPred);
  l.backward(); // dl/dw
  torch.noGrad(() => {
    w.sub_(w.grad!.mul(learningRate));
  });
  w.grad!.zero_();
  if (epoch % 2 === 0) console.log(`epoch: ${epoch + 1}: weight = ${num(w).toFixed(3)}, loss = ${num(l).toFixed(8)}`);
}
console.log(`Prediction after training: f(5) = ${num(forward(5)).toFixed(5)}`);
// #endregion manual

// #region optimizer
w = torch.tensor(0.0, { dtype: 'float32', requiresGrad: true });
const loss = new nn.MSELoss();
let optimizer = new torch.optim.SGD([w], { lr: learningRate });
for (let epoch = 0; epoch < nIters; epoch++) {
  const l = loss(forward(x), y);
  l.backward();
  optimizer.step();
  optimizer.zeroGrad();
  if (epoch % 2 === 0) console.log(`epoch: ${epoch + 1}: weight = ${num(w).toFixed(3)}, loss = ${num(l).toFixed(8)}`);
}
// #endregion optimizer

// #region linear
torch.manualSeed(0);
x = torch.tensor([[1], [2], [3], [4]], { dtype: 'float32' });
y = torch.tensor([[2], [4], [6], [8]], { dtype: 'float32' });
const [nSamples, nFeatures] = x.shape;
console.log(nSamples, nFeatures);

class LinearRegression extends nn.Module {
  lin: torch.nn.Linear;

  constructor(inputDim: number, outputDim: number) {
    super();
    this.lin = new nn.Linear(inputDim, outputDim);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    return this.lin(x);
  }
}

const model = new LinearRegression(nFeatures, nFeatures);
const xTest = torch.tensor([5], { dtype: 'float32' });
console.log(`Prediction before training: f(5) = ${num(model(xTest)).toFixed(3)}`);

optimizer = new torch.optim.SGD(model.parameters(), { lr: learningRate });
for (let epoch = 0; epoch < 100; epoch++) {
  const l = loss(model(x), y);
  l.backward();
  optimizer.step();
  optimizer.zeroGrad();
  if (epoch % 10 === 0) {
    const [w] = model.parameters();
    console.log(`epoch: ${epoch + 1}: w = ${num(w.index(0, 0)).toFixed(6)}, loss = ${num(l).toFixed(8)}`);
  }
}
console.log(`Prediction after training: f(5) = ${num(model(xTest)).toFixed(3)}`);
// #endregion linear
