import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

/** Trains a small MLP whose matmuls are large enough to be split across threads; returns its final parameters. */
function train(threads: number): Float32Array[] {
  torch.setNumThreads(threads);
  torch.manualSeed(0);
  const model = new torch.nn.Sequential(new torch.nn.Linear(300, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
  const x = torch.rand(128, 300);
  const y = torch.randint(0, 10, [128]);
  for (let step = 0; step < 5; step++) {
    optimizer.zeroGrad();
    torch.nn.functional.crossEntropy(model.forward(x), y).backward();
    optimizer.step();
  }
  return model.parameters().map((p) => Float32Array.from(p.dataSync() as Float32Array));
}

/** Trains LeNet's layers (stride-1 convolutions on the direct kernels, pooling) at batch 32; its final parameters. */
function trainCnn(threads: number): Float32Array[] {
  torch.setNumThreads(threads);
  torch.manualSeed(0);
  const { nn } = torch;
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(400, 10),
  );
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.05 });
  const x = torch.rand(32, 1, 28, 28);
  const y = torch.randint(0, 10, [32]);
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    torch.nn.functional.crossEntropy(model.forward(x), y).backward();
    optimizer.step();
  }
  return model.parameters().map((p) => Float32Array.from(p.dataSync() as Float32Array));
}

const initialThreads = torch.getNumThreads();
afterAll(() => torch.setNumThreads(initialThreads));

describe('CPU threads', { timeout: 120_000 }, () => {
  it('trains to the same bits on 1 and 2 threads', () => {
    expect(torch.threadingStatus().reason).toBeUndefined();
    const one = train(1);
    const two = train(2);
    expect(torch.getNumThreads()).toBe(2);
    expect(two.length).toBe(4);
    for (let p = 0; p < one.length; p++) {
      expect(Buffer.from(two[p].buffer).equals(Buffer.from(one[p].buffer)), `parameter ${p}`).toBe(true);
    }
    // Training moved the weights (the comparison is not between two untouched initializations).
    torch.manualSeed(0);
    const initial = new torch.nn.Linear(300, 256).weight.dataSync() as Float32Array;
    expect(one[0].some((v, i) => v !== initial[i])).toBe(true);
  });

  it('trains a CNN to the same bits on 1 and 2 threads', () => {
    const one = trainCnn(1);
    const two = trainCnn(2);
    expect(two.length).toBe(6);
    for (let p = 0; p < one.length; p++) {
      expect(Buffer.from(two[p].buffer).equals(Buffer.from(one[p].buffer)), `parameter ${p}`).toBe(true);
    }
  });

  it('rejects a thread count that is not a positive integer, as torch.set_num_threads does', () => {
    expect(() => torch.setNumThreads(0)).toThrow(/Number of threads must be a positive integer/);
  });
});
