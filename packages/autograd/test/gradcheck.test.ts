import { describe, expect, it } from 'vitest';
import { Function, gradcheck, gradgradcheck, RULES, type FunctionCtx } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { DiffOp, Tensor } from '@descent/tensor';

/** Inputs away from kinks (|x| >= 0.2) so finite differences are meaningful for relu, abs, clamp, max... */
function input(shape: number[], seed: number, { positive = false } = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    const magnitude = 0.2 + 0.8 * u + i * 0.013; // distinct values: no ties for max/min
    data[i] = positive || i % 3 !== 1 ? magnitude : -magnitude;
  }
  return torch.fromArray(data, shape).requiresGrad_(true);
}

/** A second device in host memory (the CPU backend under another name), so device moves are checked on the CPU. */
const HOST = torch.registerBackend(Object.create(torch.cpu.backend, { name: { value: 'host2' } }) as typeof torch.cpu.backend);

const fixed = (data: number[]) => torch.tensor(data, { dtype: 'float32', requiresGrad: true });
const idx = (data: number[][]) => torch.tensor(data);

/** torch.autograd.Functions, their backwards written with tensor ops (so gradgradcheck differentiates them again). */
class MulExp extends Function {
  static forward(ctx: FunctionCtx, a: Tensor, b: Tensor) {
    ctx.saveForBackward(a, b);
    return a.mul(b.exp());
  }
  static backward(ctx: FunctionCtx, g: Tensor) {
    const [a, b] = ctx.savedTensors;
    return [g.mul(b.exp()), g.mul(a).mul(b.exp())]; // b's gradient is [2, 3]: the engine sums it back to [3]
  }
}
class SinCos extends Function {
  static forward(ctx: FunctionCtx, a: Tensor): [Tensor, Tensor] {
    ctx.saveForBackward(a);
    return [a.sin(), a.cos()];
  }
  static backward(ctx: FunctionCtx, gSin: Tensor, gCos: Tensor) {
    const [a] = ctx.savedTensors;
    return gSin.mul(a.cos()).sub(gCos.mul(a.sin()));
  }
}

/** One differentiable program per gradient rule; the test below fails if a rule has no case. */
const CASES: Record<DiffOp, () => [(...xs: Tensor[]) => Tensor, Tensor[]]> = {
  add: () => [(a, b) => a.add(b), [input([2, 3], 1), input([3], 2)]],
  sub: () => [(a, b) => a.sub(b), [input([2, 3], 3), input([2, 1], 4)]],
  mul: () => [(a, b) => a.mul(b), [input([2, 3], 5), input([1, 3], 6)]],
  div: () => [(a, b) => a.div(b), [input([2, 3], 7), input([2, 3], 8, { positive: true })]],
  pow: () => [(a, b) => a.pow(b), [input([4], 9, { positive: true }), input([4], 10)]],
  powScalar: () => [(a) => a.pow(3), [input([2, 2], 11)]],
  maximum: () => [(a, b) => a.maximum(b), [input([5], 12), fixed([0.9, -0.1, 0.05, -0.8, 1.5])]],
  minimum: () => [(a, b) => a.minimum(b), [input([5], 14), fixed([0.9, -0.1, 0.05, -0.8, 1.5])]],
  neg: () => [(a) => a.neg(), [input([3], 16)]],
  exp: () => [(a) => a.exp(), [input([3], 17)]],
  log: () => [(a) => a.log(), [input([3], 18, { positive: true })]],
  sqrt: () => [(a) => a.sqrt(), [input([3], 19, { positive: true })]],
  rsqrt: () => [(a) => a.rsqrt(), [input([3], 20, { positive: true })]],
  abs: () => [(a) => a.abs(), [input([4], 21)]],
  sign: () => [(a) => a.sign().mul(a), [input([4], 22)]],
  sin: () => [(a) => a.sin(), [input([4], 23)]],
  cos: () => [(a) => a.cos(), [input([4], 24)]],
  tanh: () => [(a) => a.tanh(), [input([4], 25)]],
  sigmoid: () => [(a) => a.sigmoid(), [input([4], 26)]],
  relu: () => [(a) => a.relu(), [input([6], 27)]],
  reciprocal: () => [(a) => a.reciprocal(), [input([3], 28, { positive: true })]],
  erf: () => [(a) => a.erf(), [input([4], 29)]],
  round: () => [(a) => a.mul(10).round().add(a), [input([4], 30)]],
  // |0.1 a| < 0.1: no step of floor or ceil within the finite-difference step of any input.
  floor: () => [(a) => a.mul(0.1).floor().add(a), [input([4], 31)]],
  ceil: () => [(a) => a.mul(0.1).ceil().add(a), [input([4], 32)]],
  clamp: () => [(a) => a.clamp(-0.5, 0.6), [input([8], 31)]],
  leakyRelu: () => [(a) => torch.leakyRelu(a, 0.1), [input([6], 32)]],
  gelu: () => [(a) => torch.gelu(a), [input([6], 33)]],
  silu: () => [(a) => torch.silu(a), [input([6], 34)]],
  where: () => [(a, b) => torch.where(a.gt(0), a, b), [input([6], 35), input([6], 36)]],
  cast: () => [(a) => a.to('float32').add(a.to('int32')), [input([3], 37)]],
  toDevice: () => [(a) => a.to(HOST).mul(a.to(HOST)).to('cpu'), [input([3], 79)]],
  sum: () => [(a) => a.sum(1), [input([2, 3], 38)]],
  mean: () => [(a) => a.mean([0, 2], { keepdim: true }), [input([2, 3, 2], 39)]],
  prod: () => [(a) => a.prod(1), [input([2, 3], 40)]],
  amax: () => [(a) => a.max(), [input([2, 3], 41)]],
  amin: () => [(a) => a.min(), [input([2, 3], 42)]],
  maxDim: () => [(a) => a.max(1).values, [input([3, 4], 43)]],
  minDim: () => [(a) => a.min(0, { keepdim: true }).values, [input([3, 4], 44)]],
  var: () => [(a) => a.var(1), [input([2, 5], 45)]],
  std: () => [(a) => a.std(), [input([6], 46)]],
  softmax: () => [(a) => a.softmax(1), [input([2, 4], 47)]],
  logSoftmax: () => [(a) => a.logSoftmax(0), [input([3, 2], 48)]],
  crossEntropy: () => [(a) => torch.crossEntropyLoss(a, torch.tensor([2, 0, 1]), 'none'), [input([3, 4], 69)]],
  mm: () => [(a, b) => a.mm(b), [input([2, 3], 49), input([3, 4], 50)]],
  addmm: () => [(b, x, w) => torch.addmm(b, x, w), [input([3], 70), input([2, 4], 71), input([4, 3], 72)]],
  mseLoss: () => [(x, y) => torch.mseLossOp(x, y, 'mean'), [input([2, 3], 73), input([2, 3], 74)]],
  bmm: () => [(a, b) => a.bmm(b), [input([2, 2, 3], 51), input([2, 3, 2], 52)]],
  view: () => [(a) => a.view(3, 2), [input([2, 3], 53)]],
  expand: () => [(a) => a.expand(4, 3), [input([1, 3], 54)]],
  permute: () => [(a) => a.permute(2, 0, 1), [input([2, 3, 2], 55)]],
  transpose: () => [(a) => a.transpose(0, 2), [input([2, 1, 3], 56)]],
  t: () => [(a) => a.t(), [input([2, 3], 57)]],
  unsqueeze: () => [(a) => a.unsqueeze(1), [input([3], 58)]],
  squeeze: () => [(a) => a.squeeze(), [input([3, 1], 59)]],
  slice: () => [(a) => a.index(':', '1::2'), [input([2, 5], 60)]],
  select: () => [(a) => a.select(1, 2), [input([2, 4], 61)]],
  // Two of three slices used (the third's gradient counts as zeros), on a negative dim.
  unbind: () => [
    (a) => {
      const [p, , r] = a.unbind(-2);
      return p.mul(r).add(r.sin());
    },
    [input([2, 3, 2], 100)],
  ],
  clone: () => [(a) => a.clone(), [input([3], 62)]],
  cat: () => [(a, b) => torch.cat([a, b], 1), [input([2, 2], 63), input([2, 3], 64)]],
  stack: () => [(a, b) => torch.stack([a, b], 1), [input([2, 3], 65), input([2, 3], 66)]],
  gather: () => [(a) => a.gather(1, idx([[0, 2], [1, 1]])), [input([2, 3], 67)]],
  scatterAdd: () => [(s) => torch.scatterAddZeros([2, 3], 1, idx([[0, 2], [1, 1]]), s), [input([2, 2], 68)]],
  // A grouped convolution's product (2 groups of 2 outputs over 3 window rows of 2 positions), with bias.
  unfoldMatmul: () => [
    (w, x, b) => torch.unfoldMatmul(w, x, torch.tensor([0, 1, 2, 3, 4, 0, 2, 2, 4, 1, 3, 3]), { bias: b, shape: [2, 4, 2] }),
    [input([2, 2, 3], 69), input([2, 5], 70), input([4], 71)],
  ],
  // PyTorch's fused recurrent cells (the CPU's kernels; second order through the composed rule). The LSTM's hy and cy
  // each get an outputPart node, which files its gradient in the cell's node.
  lstmCell: () => [
    (ig, hg, c) => {
      const [hy, cy] = torch.lstmCell(ig, hg, c);
      return hy.mul(cy.add(2));
    },
    [input([2, 8], 82), input([2, 8], 83), input([2, 2], 84)],
  ],
  gruCell: () => [(ig, hg, h) => torch.gruCell(ig, hg, h), [input([2, 6], 85), input([2, 6], 86), input([2, 2], 87)]],
  outputPart: () => [(ig, hg, c) => torch.lstmCell(ig, hg, c)[1].mul(c), [input([3, 4], 88), input([3, 4], 89), input([3, 1], 90)]],
  // Writes through views: the base's history becomes CopySlices, the view's is regenerated as AsStridedBackward0.
  copySlices: () => [
    (a, b) => {
      const y = a.mul(1);
      y.index(':', 1).mul_(b);
      return y;
    },
    [input([2, 3], 69), input([2], 70)],
  ],
  asStrided: () => [
    (a) => {
      const y = a.mul(1);
      const v = y.index(0);
      y.index(1).mul_(2);
      return v.mul(v);
    },
    [input([2, 3], 71)],
  ],
  viewScatter: () => [(a) => torch.viewScatter(a, { baseShape: [3, 4], replay: (t) => t.index('1:', '::2') }), [input([2, 2], 72)]],
  copy: () => [(a) => torch.zeros(2, 3).copy_(a), [input([3], 73)]],
  zero: () => [(a) => a.mul(2).zero_().add(a), [input([3], 74)]],
  fillScalar: () => [(a) => a.mul(2).fill_(1).mul(a), [input([3], 75)]],
  uniform: () => [(a) => a.mul(2).uniform_(0, 1, { generator: new torch.Generator().manualSeed(1) }).mul(a), [input([3], 76)]],
  normal: () => [(a) => a.mul(2).normal_(0, 1, { generator: new torch.Generator().manualSeed(2) }).mul(a), [input([3], 77)]],
  bernoulli: () => [(a) => a.mul(2).bernoulli_(0.5, { generator: new torch.Generator().manualSeed(3) }).mul(a), [input([3], 78)]],
  // A Function with one output is one node; with several, each output's node places its gradient in a packed one.
  customFunction: () => [(a, b) => MulExp.apply(a, b), [input([2, 3], 79), input([3], 80)]],
  functionOutput: () => [
    (a) => {
      const [s, c] = SinCos.apply(a);
      return s.mul(c.add(2));
    },
    [input([4], 81)],
  ],
};

describe('gradcheck: every gradient rule against finite differences', () => {
  it('has a case for every rule', () => {
    expect(Object.keys(RULES).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const op of Object.keys(CASES) as DiffOp[]) {
    it(op, () => {
      const [fn, inputs] = CASES[op]();
      expect(gradcheck(fn, inputs)).toBe(true);
    });
  }

  // Every rule is written with differentiable ops, so its own derivative is right too (PyTorch's gradgradcheck).
  for (const op of Object.keys(CASES) as DiffOp[]) {
    it(`${op}, second order`, () => {
      const [fn, inputs] = CASES[op]();
      expect(gradgradcheck(fn, inputs)).toBe(true);
    });
  }

  it('reports a wrong gradient', () => {
    const x = input([3], 99);
    // A deliberately wrong "derivative": detach half of the computation.
    expect(() => gradcheck((a) => a.mul(a.detach()), [x])).toThrow(/Jacobian mismatch for input 0/);
  });
});
