import {
  gatherChecked,
  isGradEnabled,
  ones,
  zerosLike,
  outsideView,
  scatterAddZeros,
  stack,
  viewScatter,
  where,
  type DiffOp,
  type GradNode,
  type MultiOutputOp,
  type Tensor,
} from '@descent/tensor';
import { mat1Grad, mat2Grad } from './matmul-grads.js';
import { unfoldMatmulGrads } from './unfold-matmul-grads.js';
import { gruCellGrads, lstmCellGrads } from './rnn-cell-grads.js';

type ReductionOp = 'sum' | 'mean' | 'prod' | 'amax' | 'amin' | 'maxDim' | 'minDim' | 'var' | 'std';

/**
 * A gradient rule: given the gradient of the node's output, the gradients of its inputs (null where an input
 * needs none). Rules are written with Tensor ops, so they are differentiable themselves. Broadcasting is undone
 * once, by the engine, not here.
 */
export type GradRule<K extends DiffOp = DiffOp> = (grad: Tensor, node: GradNode<K>) => (Tensor | null)[];

/** The rule of an op with several outputs: one gradient per output (null where none arrived, at least one given). */
export type PartsRule<K extends MultiOutputOp = MultiOutputOp> = (grads: readonly (Tensor | null)[], node: GradNode<K>) => (Tensor | null)[];

export type SingleOutputOp = Exclude<DiffOp, MultiOutputOp>;

/** One rule per op, each reading its own op's typed parameters. */
export type GradRules = { [K in DiffOp]: K extends MultiOutputOp ? PartsRule<K> : GradRule<K> };

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Re-inserts the reduced dims (as size 1) so the gradient broadcasts back over the input. */
function unreduce(grad: Tensor, node: GradNode<ReductionOp>): Tensor {
  const { dims, keepdim } = node.params;
  const shape = node.inputs[0].shape;
  // A full reduction's 0-d gradient expands directly; otherwise re-insert the reduced dims first.
  if (grad.shape.length === 0) return grad.expand(shape);
  let g = grad;
  if (!keepdim) for (const d of dims) g = g.unsqueeze(d);
  return g.expand(shape);
}

function reducedCount(node: GradNode<ReductionOp>): number {
  const shape = node.inputs[0].shape;
  return node.params.dims.reduce((n, d) => n * shape[d], 1);
}

function keepdimOutput(node: GradNode<ReductionOp>): Tensor {
  const out = node.output();
  if (node.params.keepdim) return out;
  let o = out;
  for (const d of node.params.dims) o = o.unsqueeze(d);
  return o;
}


/**
 * ToCopyBackward0 of a device move: the gradient, on the device the tensor was moved `to`, is copied back `from`.
 * Off a GPU that copy needs a synchronous read, which JavaScript cannot do inside `backward()`: a clear error, never a
 * silently cut graph.
 */
function moveBack(g: Tensor, n: GradNode<'toDevice'>): Tensor {
  const { from, to } = n.params;
  if (!to.supports('readSync')) {
    throw new Error(
      `ToCopyBackward0: cannot copy the gradient back from '${to}' to '${from}' during backward(): that needs a ` +
        `synchronous read of '${to}' memory, which JavaScript cannot do. A tensor that requires grad was moved from ` +
        `'${from}' to '${to}'; keep the tensors that require grad on the device the loss is computed on: create them ` +
        `there ({ device: '${to}', requiresGrad: true }) or move them before they require grad ` +
        `(x.to('${to}').requiresGrad_(), model.to('${to}')), and read gradients with await grad.toAsync('${from}'). ` +
        `To move a tensor without its history, use x.detach().to('${to}').`,
    );
  }
  return g.to(from);
}

export const RULES: GradRules = {
  add: (g) => [g, g],
  sub: (g, n) => [g, n.needs(1) ? g.neg() : null],
  mul: (g, n) => [n.needs(0) ? g.mul(n.input(1)) : null, n.needs(1) ? g.mul(n.input(0)) : null],
  div: (g, n) => {
    const b = n.input(1);
    return [n.needs(0) ? g.div(b) : null, n.needs(1) ? g.neg().mul(n.input(0)).div(b.mul(b)) : null];
  },
  pow: (g, n) => {
    const [a, b] = [n.input(0), n.input(1)];
    const out = n.output();
    const da = n.needs(0) ? g.mul(b).mul(a.pow(b.sub(1))) : null;
    if (!n.needs(1)) return [da, null];
    // d/db a^b = a^b log a, defined as 0 where a == 0 and b >= 0 (PyTorch's convention).
    const zeroBase = a.eq(0).logicalAnd(b.ge(0));
    return [da, g.mul(where(zeroBase, 0, out.mul(a.log())))];
  },
  powScalar: (g, n) => {
    const e = n.params.exponent;
    // PyTorch: zeros, with no history, whatever the input.
    if (e === 0) return [zerosLike(g)];
    // x**2 (every MSE) needs no pow kernel: d/dx = 2x. Under createGraph PyTorch's 2 * x.pow(1) is kept, so that
    // higher derivatives keep their history exactly as PyTorch's do (the values are the same).
    if (e === 2 && !isGradEnabled()) return [g.mul(n.input(0).mul(2))];
    return [g.mul(n.input(0).pow(e - 1).mul(e))];
  },
  maximum: (g, n) => {
    const [a, b] = [n.input(0), n.input(1)];
    const half = g.div(2);
    return [where(a.gt(b), g, where(a.eq(b), half, 0)), where(b.gt(a), g, where(a.eq(b), half, 0))];
  },
  minimum: (g, n) => {
    const [a, b] = [n.input(0), n.input(1)];
    const half = g.div(2);
    return [where(a.lt(b), g, where(a.eq(b), half, 0)), where(b.lt(a), g, where(a.eq(b), half, 0))];
  },
  neg: (g) => [g.neg()],
  exp: (g, n) => [g.mul(n.output())],
  log: (g, n) => [g.div(n.input(0))],
  sqrt: (g, n) => [g.div(n.output().mul(2))],
  rsqrt: (g, n) => [g.mul(n.output().pow(3)).mul(-0.5)],
  abs: (g, n) => [g.mul(n.input(0).sign())],
  sign: (g) => [g.mul(0)],
  sin: (g, n) => [g.mul(n.input(0).cos())],
  cos: (g, n) => [g.mul(n.input(0).sin()).neg()],
  tanh: (g, n) => {
    const y = n.output();
    return [g.mul(y.mul(y).neg().add(1))];
  },
  sigmoid: (g, n) => {
    const y = n.output();
    return [g.mul(y).mul(y.neg().add(1))];
  },
  relu: (g, n) => [where(n.output().gt(0), g, 0)],
  reciprocal: (g, n) => {
    const y = n.output();
    return [g.mul(y.mul(y)).neg()];
  },
  erf: (g, n) => {
    const x = n.input(0);
    return [g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))];
  },
  round: (g) => [g.mul(0)],
  floor: (g) => [g.mul(0)],
  ceil: (g) => [g.mul(0)],
  clamp: (g, n) => {
    const x = n.input(0);
    const { min, max } = n.params;
    let keep = x.eq(x);
    if (min !== null) keep = keep.logicalAnd(x.ge(min));
    if (max !== null) keep = keep.logicalAnd(x.le(max));
    return [where(keep, g, 0)];
  },
  leakyRelu: (g, n) => [where(n.input(0).gt(0), g, g.mul(n.params.negativeSlope))],
  gelu: (g, n) => {
    const x = n.input(0);
    if (n.params.approximate === 'tanh') {
      const k = Math.sqrt(2 / Math.PI);
      const inner = x.add(x.pow(3).mul(0.044715)).mul(k);
      const th = inner.tanh();
      const dInner = x.pow(2).mul(3 * 0.044715).add(1).mul(k);
      const d = th.add(1).mul(0.5).add(x.mul(0.5).mul(th.mul(th).neg().add(1)).mul(dInner));
      return [g.mul(d)];
    }
    const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
    const pdf = x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
    return [g.mul(cdf.add(x.mul(pdf)))];
  },
  silu: (g, n) => {
    const x = n.input(0);
    const s = x.sigmoid();
    return [g.mul(s.mul(x.mul(s.neg().add(1)).add(1)))];
  },
  where: (g, n) => {
    const c = n.input(0);
    return [null, n.needs(1) ? where(c, g, 0) : null, n.needs(2) ? where(c, 0, g) : null];
  },
  cast: (g, n) => [g.to(n.inputs[0].dtype)],
  toDevice: (g, n) => [moveBack(g, n)],
  sum: (g, n) => [unreduce(g, n)],
  mean: (g, n) => [unreduce(g, n).div(reducedCount(n))],
  prod: (g, n) => {
    const x = n.input(0);
    return [unreduce(g, n).mul(keepdimOutput(n).expand(x.shape)).div(x)];
  },
  amax: (g, n) => extremumGrad(g, n),
  amin: (g, n) => extremumGrad(g, n),
  maxDim: (g, n) => argGrad(g, n, 'argmax'),
  minDim: (g, n) => argGrad(g, n, 'argmin'),
  var: (g, n) => {
    const x = n.input(0);
    const dims = n.params.dims;
    const scale = 2 / Math.max(reducedCount(n) - n.params.correction, 0);
    return [unreduce(g, n).mul(x.sub(x.mean(dims, { keepdim: true }))).mul(scale)];
  },
  std: (g, n) => {
    const x = n.input(0);
    const dims = n.params.dims;
    const scale = 1 / Math.max(reducedCount(n) - n.params.correction, 0);
    const centered = x.sub(x.mean(dims, { keepdim: true }));
    return [unreduce(g, n).mul(centered).div(keepdimOutput(n)).mul(scale)];
  },
  softmax: (g, n) => {
    const y = n.output();
    const dim = n.params.dim;
    return [y.mul(g.sub(g.mul(y).sum(dim, { keepdim: true })))];
  },
  logSoftmax: (g, n) => {
    const y = n.output();
    const dim = n.params.dim;
    return [g.sub(y.exp().mul(g.sum(dim, { keepdim: true })))];
  },
  crossEntropy: (g, n) => {
    const x = n.input(0);
    const rows = x.shape[0];
    const { reduction, ignoreIndex } = n.params;
    let target = n.input(1);
    // Rows whose target is ignored get no gradient; the mean was taken over the others.
    const valid = ignoreIndex === null ? null : target.ne(ignoreIndex);
    if (valid) target = where(valid, target, 0);
    const onehot = scatterAddZeros(x.shape, 1, target.reshape([rows, 1]), ones([rows, 1], { device: x.device }));
    const count = reduction !== 'mean' ? rows : valid ? valid.sum().float() : rows;
    let scale = reduction === 'none' ? g.unsqueeze(1) : reduction === 'mean' ? g.div(count) : g;
    if (valid) scale = scale.mul(valid.float().unsqueeze(1));
    return [x.softmax(1).sub(onehot).mul(scale), null];
  },
  mm: (g, n) => [
    n.needs(0) ? mat1Grad(g, n.input(0), n.input(1)) : null,
    n.needs(1) ? mat2Grad(g, n.input(0), n.input(1)) : null,
  ],
  addmm: (g, n) => [
    g, // the engine sums it back to the bias's shape
    n.needs(1) ? mat1Grad(g, n.input(1), n.input(2)) : null,
    n.needs(2) ? mat2Grad(g, n.input(1), n.input(2)) : null,
  ],
  mseLoss: (g, n) => {
    const diff = n.input(0).sub(n.input(1));
    const scale = n.params.reduction === 'mean' ? g.mul(2 / diff.numel()) : g.mul(2);
    const gx = diff.mul(scale);
    return [n.needs(0) ? gx : null, n.needs(1) ? gx.neg() : null];
  },
  bmm: (g, n) => [
    n.needs(0) ? g.bmm(n.input(1).transpose(1, 2)) : null,
    n.needs(1) ? n.input(0).transpose(1, 2).bmm(g) : null,
  ],
  view: (g, n) => [g.reshape(n.inputs[0].shape)],
  expand: (g) => [g], // the engine sums a broadcast gradient back to the input's shape
  permute: (g, n) => {
    const dims = n.params.dims;
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse)];
  },
  transpose: (g, n) => [g.transpose(n.params.dim0, n.params.dim1)],
  t: (g) => [g.t()],
  unsqueeze: (g, n) => [g.squeeze(n.params.dim)],
  squeeze: (g, n) => [g.reshape(n.inputs[0].shape)],
  slice: (g, n) => {
    const { dim, start, step, length } = n.params;
    const end = start + (length - 1) * step + 1;
    return [viewScatter(g, { baseShape: n.inputs[0].shape, replay: (z) => z.slice(dim, start, end, step) })];
  },
  select: (g, n) => [viewScatter(g, { baseShape: n.inputs[0].shape, replay: (z) => z.select(n.params.dim, n.params.index) })],
  clone: (g) => [g],
  cat: (g, n) => {
    const dim = n.params.dim;
    let at = 0;
    return n.inputs.map((meta) => {
      if (meta.shape.length === 1 && meta.shape[0] === 0 && g.shape.length !== 1) return null;
      const size = meta.shape[dim];
      const part = g.slice(dim, at, at + size);
      at += size;
      return part;
    });
  },
  stack: (g, n) => n.inputs.map((_, i) => g.select(n.params.dim, i)),
  gather: (g, n) => [scatterAddZeros(n.inputs[0].shape, n.params.dim, n.input(1), g), null],
  unfoldMatmul: unfoldMatmulGrads,
  lstmCell: lstmCellGrads,
  gruCell: gruCellGrads,
  // PyTorch's unbind_backward: the slices' gradients stacked, zeros for a slice none reached.
  unbind: (grads, n) => {
    const some = grads.find((g) => g) as Tensor;
    const count = n.inputs[0].shape[n.params.dim];
    return [stack(Array.from({ length: count }, (_, i) => grads[i] ?? zerosLike(some)), n.params.dim)];
  },
  // Never run: the engine files an output's gradient in its op's node (engine.ts). As a rule, it passes it on.
  outputPart: (g) => [g],
  // A write through a view: the base's old values outside the view, the written value inside it.
  copySlices: (g, n) => [
    n.needs(0) ? where(outsideView(n.params, g.device), g, 0) : null,
    n.needs(1) ? n.params.replay(g) : null,
  ],
  asStrided: (g, n) => [viewScatter(g, n.params)],
  viewScatter: (g, n) => [n.params.replay(g)],
  copy: (g) => [g], // the engine sums a broadcast gradient back to the source's shape
  zero: () => [],
  fillScalar: () => [],
  uniform: () => [],
  normal: () => [],
  bernoulli: () => [],
  // The adjoint gather takes the scatter's index as it is (int32 from the window kernels, as well as int64).
  scatterAdd: (g, n) => [gatherChecked(g, n.params.dim, n.input(1)), null],
  // A torch.autograd.Function: the user's backward (ops/custom-function.ts cuts a packed gradient per output).
  customFunction: (g, n) => n.params.backward(g),
  // One of several outputs of a Function: its gradient, placed in the Function's packed gradient.
  functionOutput: (g, n) => [viewScatter(g, n.params)],
};

/** Full max/min: the gradient is shared evenly among the tied extreme elements (PyTorch 1.13's amax rule). */
function extremumGrad(g: Tensor, n: GradNode<'amax' | 'amin'>): Tensor[] {
  const x = n.input(0);
  const mask = x.eq(keepdimOutput(n)).float();
  const count = mask.sum(n.params.dims, { keepdim: true });
  return [unreduce(g, n).mul(mask).div(count)];
}

/** max(dim)/min(dim): the gradient goes to the index that was picked. */
function argGrad(g: Tensor, n: GradNode<'maxDim' | 'minDim'>, pick: 'argmax' | 'argmin'): Tensor[] {
  const x = n.input(0);
  const dims = n.params.dims;
  if (dims.length === 0) return [g];
  const dim = dims[0];
  const idx = x[pick](dim, { keepdim: true });
  const gk = n.params.keepdim ? g : g.unsqueeze(dim);
  return [scatterAddZeros(x.shape, dim, idx, gk)];
}

/** The input gradients of an op's node, by that op's rule. */
export function applyRule<K extends SingleOutputOp>(node: GradNode<K>, grad: Tensor): (Tensor | null)[] {
  const rule = RULES[node.op] as GradRule<K>;
  return rule(grad, node);
}

/** Every `MultiOutputOp` (a Record, so adding one without listing it here fails to compile). */
const MULTI_OUTPUT: Readonly<Record<MultiOutputOp, true>> = { lstmCell: true, unbind: true };

export function isMultiOutput(node: GradNode): node is GradNode<MultiOutputOp> {
  return node.op in MULTI_OUTPUT;
}

/** The input gradients of a node with several outputs, from each output's gradient. */
export function applyPartsRule<K extends MultiOutputOp>(node: GradNode<K>, grads: readonly (Tensor | null)[]): (Tensor | null)[] {
  const rule = RULES[node.op] as PartsRule<K>;
  return rule(grads, node);
}
