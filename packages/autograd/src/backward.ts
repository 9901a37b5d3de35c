import { Tensor, type GradNode } from '@descent/tensor';
import { implicitGradient, runBackward } from './engine.js';

function checkGradient(output: Tensor, gradient: Tensor, i = 0): void {
  if (gradient.shape.join() !== output.shape.join()) {
    throw new RangeError(
      `Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${gradient.shape.join(', ')}]) and output[${i}] has a shape of torch.Size([${output.shape.join(', ')}]).`,
    );
  }
}

function checkRequiresGrad(t: Tensor, i = 0): void {
  if (!t.requiresGrad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
}

/** `tensor.backward(gradient)`: accumulates d(tensor)/d(leaf) into every leaf's `.grad`. */
export function backward(
  root: Tensor,
  gradient: Tensor | null = null,
  options: { retainGraph?: boolean; createGraph?: boolean } = {},
): void {
  checkRequiresGrad(root);
  const g = gradient ?? implicitGradient(root);
  checkGradient(root, g);
  runBackward([root], [g], { retainGraph: options.retainGraph ?? false, createGraph: options.createGraph ?? false });
}

export interface GradOptions {
  gradOutputs?: (Tensor | null)[];
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

/**
 * `torch.autograd.grad`: the gradients of `outputs` with respect to `inputs`, returned instead of accumulated
 * into `.grad`.
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  outs.forEach(checkRequiresGrad);
  const rootGrads = outs.map((o, i) => {
    const g = options.gradOutputs?.[i] ?? implicitGradient(o);
    checkGradient(o, g, i);
    return g;
  });
  const capture = new Map<GradNode, Tensor | null>();
  const nodes = ins.map((t, i) => {
    if (!t.requiresGrad) throw new Error(`One of the differentiated Tensors (input ${i}) does not require grad`);
    const node = t._gradEdge();
    capture.set(node, null);
    return node;
  });
  runBackward(outs, rootGrads, {
    retainGraph: options.retainGraph ?? options.createGraph ?? false,
    createGraph: options.createGraph ?? false,
    capture,
  });
  return nodes.map((node) => {
    const g = capture.get(node) ?? null;
    if (!g && !options.allowUnused) {
      throw new Error(
        "One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.",
      );
    }
    return g;
  });
}

export { Tensor };
