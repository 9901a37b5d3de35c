// Devices: the same code on WebGPU when this machine has an adapter, otherwise on the CPU. Its printout is the
// same on both (values are rounded), so CI checks it wherever it runs.
import * as torch from '@descent/torch';

// #region init
let device: 'webgpu' | 'cpu' = 'cpu';
try {
  await torch.webgpu.init(); // navigator.gpu in a browser, Dawn (the `webgpu` package) in Node
  device = 'webgpu';
} catch {
  // No adapter here: stay on the CPU backend.
}
// #endregion init

// #region compute
torch.manualSeed(0);
const x = torch.randn(128, 64).to(device); // random numbers are drawn on the host, as on the CPU
const w = torch.randn(64, 8, { device, requiresGrad: true });
const loss = x.matmul(w).relu().pow(2).mean();
loss.backward();

// GPU reads are asynchronous: await them. (They work on the CPU too.)
console.log('loss', (await loss.itemAsync() as number).toFixed(3));
console.log('grad norm', (await w.grad!.pow(2).sum().sqrt().itemAsync() as number).toFixed(3));
const first = (await w.grad!.index(0).toAsync('cpu')).tolist() as number[];
console.log('first row of the gradient', first.map((v) => v.toFixed(3)).join(' '));
// #endregion compute

// #region memory
// Tensors are freed when garbage collected; dispose() and scope() free GPU memory at once.
const total = torch.scope(() => x.mul(2).add(1).sum()); // temporaries inside are disposed, the result is kept
console.log('sum', (await total.itemAsync() as number).toFixed(1));
total.dispose();
// #endregion memory

if (device === 'webgpu') torch.webgpu.shutdown(); // lets Node exit without waiting for the device
