// The loop of cpu-memory.test.ts, run in a process of its own: 20,000 training steps with no await and no
// dispose() take about 25 s of one synchronous stretch, which on a loaded machine outlasted the test runner's
// 60 s wait for its worker. Prints the memory samples and the last loss as JSON.
import * as torch from '@descent/torch';

// Every step runs threaded matmuls (64x128x128 and up), Wasm elementwise ops, ReLU, where and the fused SGD step.
torch.setNumThreads(2);
torch.manualSeed(0);
const model = new torch.nn.Sequential(new torch.nn.Linear(128, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 10));
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
const x = torch.rand(64, 128);
const y = torch.randint(0, 10, [64]);
const samples = [];
let loss = 0;
for (let step = 1; step <= 20_000; step++) {
  optimizer.zeroGrad();
  const out = torch.nn.functional.crossEntropy(model.forward(x), y);
  out.backward();
  optimizer.step();
  if (step % 2_000 === 0) {
    loss = out.item();
    const usage = process.memoryUsage();
    samples.push({ step, rss: usage.rss, arrayBuffers: usage.arrayBuffers });
  }
}
console.log(JSON.stringify({ loss, samples }));
