import { noGrad, enableGrad, onesLike, type GradNode, type Tensor } from '@descent/tensor';
import { RULES } from './rules.js';
import { sumToShape } from './sum-to-shape.js';

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** When set, gradients arriving at these nodes are captured here instead of accumulated into `.grad`. */
  capture?: Map<GradNode, Tensor | null>;
}

/** Nodes reachable from `roots`, each with the number of edges that point to it from reachable nodes. */
function dependencies(roots: GradNode[]): Map<GradNode, number> {
  const deps = new Map<GradNode, number>();
  const stack = [...roots];
  for (const r of roots) deps.set(r, deps.get(r) ?? 0);
  const seen = new Set<GradNode>(roots);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of node.next) {
      if (!next) continue;
      deps.set(next, (deps.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return deps;
}

function accumulate(map: Map<GradNode, Tensor>, node: GradNode, grad: Tensor): void {
  const existing = map.get(node);
  map.set(node, existing ? existing.add(grad) : grad);
}

/** Adds `grad` into `variable.grad`, in place when a gradient is already there (as PyTorch's AccumulateGrad). */
function accumulateLeaf(variable: Tensor, grad: Tensor): void {
  if (variable.grad) variable.grad.add_(grad);
  else variable.grad = grad.contiguous() === grad ? grad.clone() : grad.contiguous();
}

/**
 * Reverse-mode sweep: each node runs once, after every node that feeds it a gradient, in Kahn's order.
 * Saved tensors are released as each node finishes unless `retainGraph`.
 */
export function runBackward(roots: Tensor[], rootGrads: Tensor[], options: RunOptions): void {
  const rootNodes = roots.map((r) => r._gradEdge());
  const deps = dependencies(rootNodes);
  const grads = new Map<GradNode, Tensor>();
  rootNodes.forEach((node, i) => accumulate(grads, node, rootGrads[i]));
  const ready = rootNodes.filter((n, i) => rootNodes.indexOf(n) === i && deps.get(n) === 0);
  const run = () => {
    while (ready.length > 0) {
      const node = ready.pop()!;
      const grad = grads.get(node)!;
      grads.delete(node);
      process(node, grad, options, (next, g) => {
        accumulate(grads, next, g);
        const left = deps.get(next)! - 1;
        deps.set(next, left);
        if (left === 0) ready.push(next);
      });
    }
  };
  if (options.createGraph) enableGrad(run);
  else noGrad(run);
}

function process(
  node: GradNode,
  grad: Tensor,
  options: RunOptions,
  send: (next: GradNode, grad: Tensor) => void,
): void {
  const capture = options.capture;
  if (capture?.has(node)) {
    const prior = capture.get(node);
    capture.set(node, prior ? prior.add(grad) : grad);
    if (node.op === 'AccumulateGrad') return;
  }
  if (node.op === 'AccumulateGrad') {
    if (!capture) accumulateLeaf(node.variable!, grad);
    return;
  }
  if (node.retained && !capture) accumulateLeaf(node.retained, grad);
  const inputGrads = RULES[node.op](grad, node);
  if (!options.retainGraph) node.releaseSaved();
  node.next.forEach((next, i) => {
    const g = inputGrads[i];
    if (!next || !g) return;
    send(next, sumToShape(g, node.inputs[i].shape));
  });
}

export function implicitGradient(root: Tensor): Tensor {
  if (root.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
  return onesLike(root);
}
