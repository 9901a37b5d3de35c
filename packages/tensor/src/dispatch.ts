import { isFloating } from './dtype.js';
import { gradMode } from './grad-mode.js';
import { GradNode, type DiffOp, type InputMeta, type OpAttrs } from './graph.js';
import type { Tensor } from './tensor.js';

export type Forward = (inputs: readonly Tensor[], attrs: OpAttrs) => Tensor;

const NO_ATTRS: OpAttrs = {};

/**
 * The one choke point for differentiable ops: runs `forward` (which calls the backend through `kernels.ts`) and,
 * when grad mode is on and an input requires grad, records a GradNode for `@descent/autograd` to differentiate.
 * The forward runs with recording off, so composite ops become a single node, as in PyTorch.
 */
export function dispatch(op: DiffOp, inputs: readonly Tensor[], forward: Forward, attrs: OpAttrs = NO_ATTRS): Tensor {
  if (!gradMode.enabled || !anyRequiresGrad(inputs)) return forward(inputs, attrs);
  gradMode.enabled = false;
  let out: Tensor;
  try {
    out = forward(inputs, attrs);
  } finally {
    gradMode.enabled = true;
  }
  if (!isFloating(out.dtype)) return out;
  const n = inputs.length;
  const next = new Array<GradNode | null>(n);
  const meta = new Array<InputMeta>(n);
  const saved = new Array<Tensor>(n + 1);
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    next[i] = t.requiresGrad ? t._gradEdge() : null;
    // Shapes only, not tensors: the inputs' memory can go once the saved tensors are released.
    meta[i] = { shape: t.shape, dtype: t.dtype };
    saved[i] = t;
  }
  saved[n] = out;
  out._setHistory(new GradNode(op, next, meta, attrs, saved));
  return out;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}
