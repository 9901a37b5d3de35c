import { noGrad, enableGrad, onesLike, Scope, unscoped, type DiffOp, type GradNode, type Tensor } from '@descent/tensor';
import { applyPartsRule, applyRule, isMultiOutput, type SingleOutputOp } from './rules.js';
import { sumToShape } from './sum-to-shape.js';
import { neededNodes } from './needed.js';
import { checkReturnedGradients } from './anomaly-mode.js';

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** When set, gradients arriving at these nodes are captured here instead of accumulated into `.grad`. */
  capture?: Map<GradNode, Tensor | null>;
  /** With `capture`: the nodes that lead to a captured node, the only ones run (see needed.ts). */
  needed?: Set<GradNode>;
}

let passCounter = 0;

/**
 * Stamps every node reachable from `roots` with this pass and counts, on each, the edges pointing to it from
 * reachable nodes. The counts live on the nodes (no Map per backward: it is the hot path of small models).
 */
function countDependencies(roots: GradNode[], pass: number): void {
  const stack: GradNode[] = [];
  for (const r of roots) {
    if (r._pass !== pass) {
      r._pass = pass;
      r._pending = 0;
      r._grad = null;
      r._parts = null;
      stack.push(r);
    }
  }
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const next = node.next;
    for (let i = 0; i < next.length; i++) {
      const child = next[i];
      if (!child) continue;
      if (child._pass !== pass) {
        child._pass = pass;
        child._pending = 0;
        child._grad = null;
        child._parts = null;
        stack.push(child);
      }
      child._pending++;
    }
  }
}

function addGrad(node: GradNode, grad: Tensor): void {
  node._grad = node._grad ? node._grad.add(grad) : grad;
}

/** Adds `grad` into `variable.grad`, in place when a gradient is already there (as PyTorch's AccumulateGrad). */
function accumulateLeaf(variable: Tensor, grad: Tensor): void {
  if (variable.grad) variable.grad.add_(grad);
  else variable.grad = grad.contiguous() === grad ? grad.clone() : grad.contiguous();
}

/**
 * Reverse-mode sweep: each node runs once, after every node that feeds it a gradient (Kahn's order).
 * Saved tensors are released as each node finishes unless `retainGraph`. On a GPU, the gradients made along the
 * way are freed when the sweep ends (as PyTorch frees them once used), not when the garbage collector finds them:
 * all but what it hands out (`.grad`, retained and captured gradients) and what user code saw (hooks, custom
 * Functions' backward). With `createGraph` they are part of a graph, and left to the collector.
 */
export function runBackward(roots: Tensor[], rootGrads: Tensor[], options: RunOptions): void {
  // On the CPU the collector frees them anyway: no scope (its bookkeeping is a few percent of a tiny model's step).
  if (options.createGraph || roots.every((r) => r.device.gcManaged)) return sweep(roots, rootGrads, options, []);
  const temporaries = new Scope('unmanaged');
  const exposed: Tensor[] = [];
  try {
    sweep(roots, rootGrads, options, exposed);
  } catch (error) {
    temporaries.leave(); // what failed user code stored may still be in use: leave it to the garbage collector
    throw error;
  }
  temporaries.close([exposed, options.capture ? [...options.capture.values()] : []]);
}

function sweep(roots: Tensor[], rootGrads: Tensor[], options: RunOptions, exposed: Tensor[]): void {
  const pass = ++passCounter;
  const rootNodes = roots.map((r) => r._gradEdge());
  if (options.capture) options = { ...options, needed: neededNodes(rootNodes, options.capture) };
  countDependencies(rootNodes, pass);
  rootNodes.forEach((node, i) => addGrad(node, rootGrads[i]));
  const ready: GradNode[] = [];
  for (const node of rootNodes) if (node._pending === 0 && !ready.includes(node)) ready.push(node);
  const run = () => {
    for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
      const grad = node._grad;
      const parts = node._parts;
      node._grad = null;
      node._parts = null;
      if (parts) processParts(node, parts, options, ready);
      else if (grad) process(node, grad, options, ready, exposed);
      else release(node, ready); // no gradient reached it: its inputs get none from here either
    }
  };
  if (options.createGraph) enableGrad(run);
  else noGrad(run);
}

/** Every node but a leaf's AccumulateGrad is an op's node, with a gradient rule. */
function isOpNode(node: GradNode): node is GradNode<DiffOp> {
  return node.op !== 'AccumulateGrad';
}

/** Runs user code (hooks, a custom Function's backward) on `grad`: it may store `grad` or what it makes. */
function userCode<T>(grad: Tensor, exposed: Tensor[], fn: () => T): T {
  exposed.push(grad);
  return unscoped(fn);
}

function process(node: GradNode, grad: Tensor, options: RunOptions, ready: GradNode[], exposed: Tensor[]): void {
  const capture = options.capture;
  if (capture?.has(node)) {
    const prior = capture.get(node);
    capture.set(node, prior ? prior.add(grad) : grad);
    if (node.op === 'AccumulateGrad') return;
  }
  if (options.needed && !options.needed.has(node)) {
    release(node, ready);
    return;
  }
  if (!isOpNode(node)) {
    if (capture || !node.variable) return;
    const hooks = node._hooks;
    accumulateLeaf(node.variable, hooks ? userCode(grad, exposed, () => hooks.run(grad, null, accumulateLeaf)) : grad);
    return;
  }
  const hooks = node._hooks;
  if (hooks) grad = userCode(grad, exposed, () => hooks.run(grad, node.retained, accumulateLeaf));
  else if (node.retained) accumulateLeaf(node.retained, grad);
  if (node.op === 'outputPart') return fileUnderOutput(node as GradNode<'outputPart'>, grad, ready);
  const g = grad;
  const single = node as GradNode<SingleOutputOp>;
  const inputGrads = node.op === 'customFunction' ? userCode(g, exposed, () => applyRule(single, g)) : applyRule(single, g);
  if (!options.retainGraph) node.releaseSaved();
  passOn(node, inputGrads, ready);
}

/**
 * One output's gradient of an op with several (`MultiOutputOp`): kept apart under the output's position in the op's
 * node, whose rule takes them all at once, instead of added to the op's one gradient.
 */
function fileUnderOutput(node: GradNode<'outputPart'>, grad: Tensor, ready: GradNode[]): void {
  const op = node.next[0];
  if (!op) return;
  const parts = (op._parts ??= []);
  const k = node.params.index;
  const prior = parts[k];
  parts[k] = prior ? prior.add(grad) : grad;
  if (--op._pending === 0) ready.push(op);
}

/** A node with several outputs, once each output's node has filed its gradient (or none). */
function processParts(node: GradNode, parts: (Tensor | null)[], options: RunOptions, ready: GradNode[]): void {
  if ((options.needed && !options.needed.has(node)) || !isMultiOutput(node)) {
    release(node, ready);
    return;
  }
  const inputGrads = applyPartsRule(node, parts);
  if (!options.retainGraph) node.releaseSaved();
  passOn(node, inputGrads, ready);
}

/** Hands each input's gradient to its node, summed back over broadcasting, and readies the nodes that have all theirs. */
function passOn(node: GradNode, inputGrads: (Tensor | null)[], ready: GradNode[]): void {
  checkReturnedGradients(node, inputGrads);
  const next = node.next;
  for (let i = 0; i < next.length; i++) {
    const child = next[i];
    if (!child) continue;
    const g = inputGrads[i];
    if (g) addGrad(child, sumToShape(g, node.inputs[i].shape));
    if (--child._pending === 0) ready.push(child);
  }
}

function release(node: GradNode, ready: GradNode[]): void {
  for (const child of node.next) if (child && --child._pending === 0) ready.push(child);
}

export function implicitGradient(root: Tensor): Tensor {
  if (root.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
  return onesLike(root);
}
