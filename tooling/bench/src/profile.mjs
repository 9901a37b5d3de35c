/**
 * Runs only Descent's side of one workload in a loop, for a profiler. `pnpm --filter @descent/bench run profile W4`
 * (src/profile-run.mjs) runs it under --cpu-prof and summarizes; by hand:
 *   node --cpu-prof --cpu-prof-dir=results/profiles src/profile.mjs W4 [iterations]
 *   node src/profile-summary.mjs results/profiles/<file>.cpuprofile
 */
import * as torch from '@descent/torch';
import { INPUTS_5, INPUTS_15, TARGETS_5, TARGETS_15 } from './crop-yields.mjs';
import { loadTrainingPackages } from './training-packages.mjs';

const training = await loadTrainingPackages(torch);

const LOOPS = {
  /** W3: a.add(b) on [2,3]. */
  W3(iterations) {
    const a = torch.randn(2, 3);
    const b = torch.randn(2, 3);
    for (let i = 0; i < iterations * 1000; i++) a.add(b);
  },
  /** W4: the crop-yields epoch. */
  W4(iterations) {
    const x = torch.tensor(INPUTS_5, { dtype: 'float32' });
    const y = torch.tensor(TARGETS_5, { dtype: 'float32' });
    const w = torch.randn(2, 3).requiresGrad_();
    const b = torch.randn(2).requiresGrad_();
    for (let epoch = 0; epoch < iterations; epoch++) {
      const diff = x.matmul(w.t()).add(b).sub(y);
      diff.mul(diff).sum().div(diff.numel()).backward();
      torch.noGrad(() => {
        w.sub_(w.grad.mul(1e-5));
        b.sub_(b.grad.mul(1e-5));
        w.grad.zero_();
        b.grad.zero_();
      });
    }
  },
  /** W5: nn.Linear + DataLoader + SGD epochs (3 batches each). */
  W5(iterations) {
    if (training.missing) throw new Error(`W5 needs ${training.missing.join(', ')}: build @descent/nn, optim and data`);
    const { Linear, SGD, TensorDataset, DataLoader, mseLoss } = training;
    const dataset = new TensorDataset(
      torch.tensor(INPUTS_15, { dtype: 'float32' }),
      torch.tensor(TARGETS_15, { dtype: 'float32' }),
    );
    const loader = new DataLoader(dataset, { batchSize: 5, shuffle: true });
    const model = new Linear(3, 2);
    const optimizer = new SGD([...model.parameters()], { lr: 1e-5 });
    for (let epoch = 0; epoch < iterations; epoch++) {
      for (const [xb, yb] of loader) {
        mseLoss(model.forward(xb), yb).backward();
        optimizer.step();
        optimizer.zeroGrad();
      }
    }
  },
  /** W6: the MLP 784-256-10 training step at batch 128 (random data; the timing, not the loss, is the point). */
  W6(iterations) {
    const { nn, optim } = torch;
    const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.rand(128, 784);
    const y = torch.randint(0, 10, [128]);
    for (let step = 0; step < iterations; step++) {
      optimizer.zeroGrad();
      nn.functional.crossEntropy(model(x), y).backward();
      optimizer.step();
    }
  },
  /** W7: the LeNet-5 training step at batch 64 (random data). */
  W7(iterations) {
    const { nn, optim } = torch;
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
    );
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
    const x = torch.rand(64, 1, 28, 28);
    const y = torch.randint(0, 10, [64]);
    for (let step = 0; step < iterations; step++) {
      optimizer.zeroGrad();
      nn.functional.crossEntropy(model(x), y).backward();
      optimizer.step();
    }
  },
};

const id = (process.argv[2] ?? 'W4').toUpperCase();
const loop = LOOPS[id];
if (!loop) throw new Error(`profile.mjs expects one of ${Object.keys(LOOPS).join(', ')}, got ${process.argv[2]}`);
const iterations = Number(process.argv[3] ?? 30_000);
const start = performance.now();
loop(iterations);
console.log(`${id}: ${iterations} iterations in ${((performance.now() - start) / 1000).toFixed(3)} s`);
