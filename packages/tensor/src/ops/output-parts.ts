import { GradNode, type InputMeta } from '../graph.js';
import type { Tensor } from '../tensor.js';

/**
 * The outputs of an op with several (`MultiOutputOp`: the fused LSTM cell, unbind). PyTorch gives such an op one
 * node; here each output gets a small `outputPart` node pointing to it, and the engine files the gradient arriving
 * there under the output's position in the op's node, whose rule takes them all at once.
 */

/** One output of an op with several: it prints as its op, whose inputs are its `nextFunctions` (PyTorch has one node). */
class OutputPartNode extends GradNode<'outputPart'> {
  constructor(
    private readonly owner: GradNode,
    index: number,
    meta: InputMeta,
  ) {
    super('outputPart', [owner], [meta], { index }, []);
  }

  override name(): string {
    return this.owner.name();
  }

  override get nextFunctions(): [GradNode | null, number][] {
    return this.owner.nextFunctions;
  }

  // An edge to this output reads as PyTorch's: the op's node and the output's position.
  override _asEdge(): [GradNode, number] {
    return [this.owner, this.params.index];
  }
}

/** Gives each of `outputs` the history of its position among the outputs of `node`. */
export function setOutputHistories(node: GradNode, outputs: readonly Tensor[]): void {
  outputs.forEach((o, i) => o._setHistory(new OutputPartNode(node, i, { shape: o.shape, dtype: o.dtype })));
}
