// Notebook 003: the crop-yields model from its R (rTorch) port, with a DataLoader and optim.SGD over raw
// tensors. The PyTorch original is pytorch/003-crop-yields-builtins.py.
import * as torch from '@descent/torch';

const { TensorDataset, DataLoader } = torch.utils.data;

// #region data
// The five regions, three times over: fifteen rows
const rows = [[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]];
const yields = [[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]];
const inputs = torch.tensor([...rows, ...rows, ...rows], { dtype: 'float32' });
const targets = torch.tensor([...yields, ...yields, ...yields], { dtype: 'float32' });
console.log(inputs.shape, targets.shape);
// #endregion data

// #region model
torch.manualSeed(7);
const w = torch.randn(2, 3, { requiresGrad: true });
const b = torch.randn(2, { requiresGrad: true });

function model(x: torch.Tensor): torch.Tensor {
  return torch.add(torch.mm(x, w.t()), b);
}

function mse(t1: torch.Tensor, t2: torch.Tensor): torch.Tensor {
  const diff = torch.sub(t1, t2);
  return torch.sum(torch.mul(diff, diff)).div(diff.numel());
}
// #endregion model

// #region fit
const trainDl = new DataLoader(new TensorDataset(inputs, targets), { batchSize: 5, shuffle: true });
const opt = new torch.optim.SGD([w, b], { lr: 1e-5 });

function fit(numEpochs: number): void {
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    let loss = torch.tensor(0);
    for (const [xb, yb] of trainDl) {
      loss = mse(model(xb), yb);
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
    if ((epoch + 1) % 20 === 0) console.log(`Epoch [${epoch + 1}/${numEpochs}], Loss: ${(loss.item() as number).toFixed(4)}`);
  }
}

fit(100);
// #endregion fit

// #region result
const preds = model(inputs.index(':5'));
console.log(preds);
console.log(mse(model(inputs), targets).sqrt());
// #endregion result
