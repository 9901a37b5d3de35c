// Notebook 004: crop yields from torch.manualSeed(1337), with hand-written gradient descent. Descent draws the
// same random numbers as PyTorch, so the run matches PyTorch's to the printed digit. The PyTorch original is
// pytorch/004-crop-yields-seeded.py.
import * as torch from '@descent/torch';
import { tensor } from '@descent/torch';

// #region data
// One row of features per sample (region): temperature, rainfall, humidity
const x = tensor([[73, 67, 43],
                  [91, 88, 64],
                  [87, 134, 58],
                  [102, 43, 37],
                  [69, 96, 70]], { dtype: 'float32' });

// One row per sample (region): apples, oranges
const y = tensor([[56, 70],
                  [81, 101],
                  [119, 133],
                  [22, 37],
                  [103, 119]], { dtype: 'float32' });
// #endregion data

// #region model
function model(x: torch.Tensor): torch.Tensor {
  // We matrix-multiply x by the transpose of weights and add the biases
  return x.matmul(weights.t()).add(biases);
}

function mseLoss(preds: torch.Tensor, targets: torch.Tensor): torch.Tensor {
  return preds.sub(targets).pow(2).mean();
}
// #endregion model

// #region train
torch.manualSeed(1337);
const weights = torch.randn(2, 3, { requiresGrad: true });
const biases = torch.rand(2, { requiresGrad: true });
console.log(weights);
console.log(biases);
const lr = 1e-4;
let loss = torch.tensor(0);
for (let i = 0; i < 100; i++) {
  const preds = model(x);
  loss = mseLoss(preds, y);
  loss.backward();
  torch.noGrad(() => {
    weights.sub_(weights.grad!.mul(lr));
    biases.sub_(biases.grad!.mul(lr));
    weights.grad!.zero_();
    biases.grad!.zero_();
  });
  if (i === 0 || (i + 1) % 20 === 0) console.log(`epoch ${String(i + 1).padStart(3)}  loss ${(loss.item() as number).toFixed(4)}`);
}
// #endregion train

// #region result
console.log(loss.sqrt());
console.log(weights);
console.log(biases);
// #endregion result
