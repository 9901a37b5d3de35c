import type { Tensor } from '@descent/tensor';

/** The fields that say where a tensor's elements live. */
interface TensorPlacement {
  _storage: Tensor['_storage'];
  _strides: readonly number[];
  _offset: number;
}

/**
 * Points `target` at `source`'s elements (same shape and dtype), as PyTorch's `param.data = new_data`: the
 * tensor object, and so every reference to it (an optimizer's parameter list), stays the same.
 */
export function moveTensorData(target: Tensor, source: Tensor): void {
  if (source.shape.join() !== target.shape.join() || source.dtype !== target.dtype) {
    throw new Error(`moveTensorData: expected a tensor of shape [${target.shape}] and dtype ${target.dtype}`);
  }
  const placement: TensorPlacement = { _storage: source._storage, _strides: source._strides, _offset: source._offset };
  Object.assign(target as unknown as TensorPlacement, placement);
}
