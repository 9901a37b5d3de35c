import { empty, keep, Tensor } from '@descent/tensor';

/**
 * A tensor that is a module's learnable state, as `torch.nn.Parameter`: assigning one to a module attribute
 * makes it show up in `parameters()` and `stateDict()`. It shares `data`'s storage and is always a leaf;
 * ops on it return plain tensors.
 *
 * A Parameter is module state, so it is kept (as `torch.keep`): no enclosing `torch.scope()` disposes its storage,
 * and so a module built inside a scope keeps its parameters.
 */
export class Parameter extends Tensor {
  constructor(data: Tensor = empty(0), requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter(data): expected a Tensor, got ${typeof data}. Wrap values first: new Parameter(torch.tensor(values)).`);
    }
    super(data._storage, data.shape, data._strides, data._offset, data.dtype);
    keep(this);
    if (requiresGrad) this.requiresGrad_(true);
  }

  /** PyTorch's `repr(parameter)`: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  override async toStringAsync(): Promise<string> {
    return `Parameter containing:\n${await super.toStringAsync()}`;
  }
}
