import type { Tensor } from '@descent/tensor';

/**
 * The fields that say where a tensor's elements live: its storage, strides and offset, and the strided view the
 * kernels read (`_view()`), which Tensor builds once from them in its constructor and caches as `_v`.
 */
interface TensorPlacement {
  dtype: Tensor['dtype'];
  _storage: Tensor['_storage'];
  _strides: readonly number[];
  _offset: number;
  _v: ReturnType<Tensor['_view']>;
}

/**
 * Points `target` at `source`'s elements (same shape and dtype), as PyTorch's `param.data = new_data`: the
 * tensor object, and so every reference to it (an optimizer's parameter list), stays the same, and so does its
 * autograd state (a parameter stays a leaf).
 */
export function moveTensorData(target: Tensor, source: Tensor, options: { changeDType?: boolean } = {}): void {
  if (source.shape.join() !== target.shape.join() || (source.dtype !== target.dtype && !options.changeDType)) {
    throw new Error(`moveTensorData: expected a tensor of shape [${target.shape}] and dtype ${target.dtype}`);
  }
  const view = source._view();
  // The cached view must move with the strides: a transposed parameter moved to a contiguous copy would otherwise
  // be read through its old strides. A new dtype (`module.to('float64')`) also drops the leaf's cached gradient
  // node, which records the old dtype.
  const placement: TensorPlacement = { dtype: source.dtype, _storage: source._storage, _strides: source._strides, _offset: source._offset, _v: view };
  if (source.dtype !== target.dtype) (target as unknown as { _accumulateNode?: unknown })._accumulateNode = undefined;
  Object.assign(target as unknown as TensorPlacement, placement);
  const moved = target._view();
  if (moved.offset !== view.offset || moved.strides.join() !== view.strides.join()) {
    throw new Error(`moveTensorData: the tensor's view did not follow its new strides (Tensor no longer caches it in _v?)`);
  }
}
