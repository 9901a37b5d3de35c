// The loops of webgpu-memory.test.ts, run in a process of their own: 10,000 GPU steps and 10,000 CPU steps with no
// await are one synchronous stretch of over a minute on lavapipe, which outlasted the test runner's 60 s wait for its
// worker on a loaded machine. Prints what the test asserts as JSON.
import * as torch from '@descent/torch';

await torch.webgpu.init();

/** An ordinary PyTorch loop: a model, an optimizer, a loss; it never awaits, reads or disposes anything. */
function train(device, steps, onStep) {
  torch.manualSeed(0);
  const model = new torch.nn.Sequential(new torch.nn.Linear(128, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 32)).to(device);
  const optimizer = new torch.optim.SGD(model.parameters(), 0.01);
  const x = torch.randn(64, 128).to(device);
  const y = torch.randn(64, 32).to(device);
  for (let step = 1; step <= steps; step++) {
    optimizer.zeroGrad();
    const loss = torch.nn.functional.mseLoss(model.forward(x), y);
    loss.backward();
    optimizer.step();
    onStep(step, loss);
  }
}

const losses = [];
let maxAllocated = 0;
let reservedAtStep1000 = 0;
const before = torch.webgpu.memoryStats().buffersCreated;
train('webgpu', 10_000, (step, loss) => {
  maxAllocated = Math.max(maxAllocated, torch.webgpu.memoryAllocated());
  if (step === 1000) reservedAtStep1000 = torch.webgpu.memoryReserved();
  if (step % 1000 === 0) losses.push(loss);
});
const result = {
  maxAllocated,
  reservedAtStep1000,
  reservedAtEnd: torch.webgpu.memoryReserved(),
  buffersCreated: torch.webgpu.memoryStats().buffersCreated - before,
  expected: [],
};
train('cpu', 10_000, (step, loss) => {
  if (step % 1000 === 0) result.expected.push(loss.item());
});
result.got = await Promise.all(losses.map((l) => l.itemAsync()));
console.log(JSON.stringify(result));
