import type { Tensor } from '../tensor.js';

/**
 * Names `result`'s grad node after the one PyTorch op a composite stands for (`F.layer_norm` is
 * `NativeLayerNormBackward0` in PyTorch, a mul and an add here), so printed outputs and `gradFn.name()` read as
 * PyTorch's. Only the name: the node's rule and `nextFunctions` stay the composite's. A node that belongs to one of
 * `inputs` (the composite returned an input unchanged) is left alone.
 */
export function presentAs<T extends Tensor>(result: T, gradFnName: string, inputs: readonly (Tensor | null | undefined)[]): T {
  const node = result.gradFn;
  if (node !== null && !inputs.some((t) => t?.gradFn === node)) node.displayName = gradFnName;
  return result;
}
