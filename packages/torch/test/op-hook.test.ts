import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

/** The ops the program itself called (depth 0) during `fn`, counted by name; uploads of cached constants left out. */
function countOps(fn: () => void): Map<string, number> {
  const counts = new Map<string, number>();
  const stop = torch.onOp((e) => {
    if (e.depth === 0 && e.op !== 'upload') counts.set(e.op, (counts.get(e.op) ?? 0) + 1);
  });
  try {
    fn();
  } finally {
    stop();
  }
  return counts;
}

describe('torch.onOp', () => {
  it('counts the ops of a training step, the same at every step', () => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = torch.randn(16, 4);
    const y = torch.randint(0, 3, [16]);
    const step = () => {
      optimizer.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
    };
    step(); // the first step creates the momentum buffers
    const second = countOps(step);
    const third = countOps(step);
    expect(third).toEqual(second);
    // Forward: one addmm per Linear, one relu, one cross-entropy op (NllLossBackward0 in PyTorch).
    expect(second.get('addmm')).toBe(2);
    expect(second.get('relu')).toBe(1);
    expect(second.get('crossEntropy')).toBe(1);
    // Backward runs the rules with tensor ops, so they pass the gate too: two weight gradients are mm's.
    expect(second.get('mm')).toBeGreaterThanOrEqual(2);
  });
});
