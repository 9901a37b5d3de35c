// Notebook 000: crop yields, first with a hand-written model and gradient descent, then with nn, optim and
// utils.data. The PyTorch original is pytorch/000-crop-yields.py.
import * as torch from '@descent/torch';

const { TensorDataset, DataLoader, slice } = torch.utils.data;
const F = torch.nn.functional;

// #region data
// Input (temp, rainfall, humidity) and targets (apples, oranges) for five regions
let inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]], { dtype: 'float32' });
let targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]], { dtype: 'float32' });
// #endregion data

// #region init
torch.manualSeed(42); // the notebook draws unseeded weights; a seed makes the run repeatable
const weights = torch.randn(2, 3, { requiresGrad: true });
const biases = torch.randn(2, { requiresGrad: true });
console.log(weights);
console.log(biases);
// #endregion init

// #region model
function model(x: torch.Tensor): torch.Tensor {
  return x.matmul(weights.t()).add(biases);
}

function mse(preds: torch.Tensor, targets: torch.Tensor): torch.Tensor {
  const diff = preds.sub(targets);
  return torch.sum(diff.mul(diff)).div(diff.numel());
}
// #endregion model

// #region step
const preds = model(inputs);
const loss = mse(preds, targets);
console.log(loss);
loss.backward();
console.log(weights.grad);

torch.noGrad(() => {
  weights.sub_(weights.grad!.mul(1e-5));
  biases.sub_(biases.grad!.mul(1e-5));
  weights.grad!.zero_();
  biases.grad!.zero_();
});
console.log(mse(model(inputs), targets));
// #endregion step

// #region train
function trainModel(epochs: number): void {
  for (let i = 0; i < epochs; i++) {
    const preds = model(inputs);
    const loss = mse(preds, targets);
    loss.backward();
    torch.noGrad(() => {
      weights.sub_(weights.grad!.mul(1e-5));
      biases.sub_(biases.grad!.mul(1e-5));
      weights.grad!.zero_();
      biases.grad!.zero_();
    });
  }
}

trainModel(10000);
console.log(mse(model(inputs), targets));
// #endregion train

// #region builtins
// Fifteen regions: the five above, each three times with small changes.
inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70],
                       [74, 66, 43], [91, 87, 65], [88, 134, 59], [101, 44, 37], [68, 96, 71],
                       [73, 66, 44], [92, 87, 64], [87, 135, 57], [103, 43, 36], [68, 97, 70]], { dtype: 'float32' });
targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119],
                        [57, 69], [80, 102], [118, 132], [21, 38], [104, 118],
                        [57, 69], [82, 100], [118, 134], [20, 38], [102, 120]], { dtype: 'float32' });

const trainDs = new TensorDataset(inputs, targets);
const [xs, ys] = trainDs.get(slice(0, 3));
console.log(xs);
console.log(ys);
const trainDl = new DataLoader(trainDs, 5, { shuffle: true });

const linear = new torch.nn.Linear(3, 2);
console.log(linear.weight);
console.log(linear.bias);
const lossFn = F.mseLoss;
const opt = new torch.optim.SGD(linear.parameters(), { lr: 1e-5 });
// #endregion builtins

// #region fit
function fit(
  epochs: number,
  model: torch.nn.Module,
  lossFn: (input: torch.Tensor, target: torch.Tensor) => torch.Tensor,
  opt: torch.optim.SGD,
  trainDl: Iterable<torch.Tensor[]>,
): void {
  for (let epoch = 0; epoch < epochs; epoch++) {
    let loss = torch.tensor(0);
    for (const [xb, yb] of trainDl) {
      loss = lossFn(model(xb) as torch.Tensor, yb);
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
    if ((epoch + 1) % 20 === 0) console.log(`Epoch [${epoch + 1}/${epochs}], Loss: ${(loss.item() as number).toFixed(4)}`);
  }
}

fit(100, linear, lossFn, opt, trainDl);
console.log(linear(torch.tensor([[75, 63, 44.0]], { dtype: 'float32' })));
// #endregion fit
