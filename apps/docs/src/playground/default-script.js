// Crop yields (notebook 004): linear regression by hand-written gradient descent.
// In scope: torch, device ('webgpu' or 'cpu'), print(...), plot(epoch, loss), showPredictions(predictions, targets).
// Reads from a GPU are asynchronous, so values are read with `await loss.itemAsync()`.

// Temperature (F), rainfall (mm), humidity (%) -> apples and oranges (tons), for five regions.
const x = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]], { dtype: 'float32', device });
const y = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]], { dtype: 'float32', device });

torch.manualSeed(1337);
const weights = torch.randn(2, 3, { device, requiresGrad: true });
const biases = torch.rand(2, { device, requiresGrad: true });
const lr = 1e-4;

const model = (inputs) => inputs.matmul(weights.t()).add(biases);

let loss;
for (let epoch = 1; epoch <= 100; epoch++) {
  loss = model(x).sub(y).pow(2).mean();
  loss.backward();
  torch.noGrad(() => {
    weights.sub_(weights.grad.mul(lr));
    biases.sub_(biases.grad.mul(lr));
    weights.grad.zero_();
    biases.grad.zero_();
  });
  const value = await loss.itemAsync();
  plot(epoch, value);
  if (epoch === 1 || epoch % 20 === 0) print(`epoch ${String(epoch).padStart(3)}  loss ${value.toFixed(4)}`);
}

print(`loss.sqrt() ${(await loss.sqrt().itemAsync()).toFixed(4)}   (PyTorch: 2.3694)`);
await showPredictions(torch.noGrad(() => model(x)), y);
