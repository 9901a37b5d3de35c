import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import { onOp, tensor, type Tensor } from '@descent/tensor';
import { functional as F } from '../src/index.js';

// Expected values from PyTorch 1.13:
//   x = torch.tensor([[1., 2., 3.], [1., 0., 0.], [0., 0., 5.], [0.5, -1., 2.]], requires_grad=True)
//   t = torch.tensor([2, -100, 0, 1]); F.cross_entropy(x, t, reduction=...)  (then .sum().backward())
const LOGITS = [[1, 2, 3], [1, 0, 0], [0, 0, 5], [0.5, -1, 2]];
const EXPECTED = {
  mean: {
    loss: 2.887434244155884,
    grad: [
      [0.030010193586349487, 0.08157616853713989, -0.11158633232116699],
      [0, 0, 0],
      [-0.3311172127723694, 0.002216118387877941, 0.32890111207962036],
      [0.058430131524801254, -0.3202958106994629, 0.26186567544937134],
    ],
  },
  sum: {
    loss: 8.66230297088623,
    grad: [
      [0.09003058075904846, 0.24472849071025848, -0.334758996963501],
      [0, 0, 0],
      [-0.9933516383171082, 0.006648355163633823, 0.9867032766342163],
      [0.17529039084911346, -0.9608874320983887, 0.785597026348114],
    ],
  },
} as const;

function expectNear(actual: unknown, expected: unknown): void {
  const a = [actual].flat(2) as number[];
  const e = [expected].flat(2) as number[];
  expect(a).toHaveLength(e.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i], 6));
}

describe('crossEntropy with class indices', () => {
  for (const reduction of ['mean', 'sum'] as const) {
    it(`leaves out targets equal to the default ignoreIndex (-100), reduction '${reduction}'`, () => {
      const x = tensor(LOGITS, { requiresGrad: true });
      const loss = F.crossEntropy(x, tensor([2, -100, 0, 1]), { reduction });
      expect(loss.gradFn?.name()).toBe('NllLossBackward0');
      expectNear(loss.item(), EXPECTED[reduction].loss);
      loss.backward();
      expectNear((x.grad as Tensor).tolist(), EXPECTED[reduction].grad);
    });
  }

  it("gives 0 for an ignored row with reduction 'none'", () => {
    const loss = F.crossEntropy(tensor(LOGITS, { dtype: 'float32' }), tensor([2, -100, 0, 1]), { reduction: 'none' });
    expectNear(loss.tolist(), [0.40760594606399536, 0, 5.013385772705078, 3.2413113117218018]);
  });

  it('chooses its path from the arguments, never from the target values', () => {
    const opsFor = (target: number[]) => {
      const ops: string[] = [];
      const stop = onOp((e) => ops.push(e.op));
      try {
        F.crossEntropy(tensor(LOGITS, { dtype: 'float32' }), tensor(target));
      } finally {
        stop();
      }
      return ops.filter((op) => op !== 'upload');
    };
    expect(opsFor([2, -100, 0, 1])).toEqual(opsFor([2, 1, 0, 1]));
    expect(opsFor([2, 1, 0, 1])).toContain('crossEntropy');
  });

  it("still reports an out-of-range target with PyTorch's message", () => {
    expect(() => F.crossEntropy(tensor(LOGITS, { dtype: 'float32' }), tensor([0, 3, 0, 1]))).toThrow('Target 3 is out of bounds.');
  });
});
