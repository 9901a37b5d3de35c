import { gradMode } from '../grad-mode.js';
import type { Tensor } from '../tensor.js';
import { checkViewWritable } from './view-history.js';
import { presentAs } from './present-as.js';
import { squeeze, t, transpose, unsqueeze } from './views.js';

// PyTorch's in-place view ops: the tensor itself takes the view's shape and strides (Tensor._restride), and the
// view's node becomes its history, so `x.t_()` prints TBackward1 with x's old node behind it. As in PyTorch, the
// storage version moves on, so a node that saved x before raises the in-place error at backward time.
// Not covered: other views already taken of a base that is then restrided here replay their view on the base's
// new shape if their history has to be regenerated; PyTorch rebuilds them from its view metadata.

function restrideInPlace<T extends Tensor>(self: T, make: (x: Tensor) => Tensor, gradFnName: string): T {
  if (gradMode.enabled && self.isLeaf && self.requiresGrad) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  checkViewWritable(self);
  const view = make(self);
  // Read before the version moves on: afterwards the view would regenerate its history from the restrided base.
  const node = view._recordedGradFn();
  self._restride(view.shape, view._strides, view._offset);
  self._storage.version++;
  // A view keeps viewing its base, now through the new view op; a base stays a base.
  if (self._base !== null && view._base !== null && view._replay !== null) self._markView(view._base, view._replay);
  if (gradMode.enabled && node !== null) {
    self._setHistory(node);
    presentAs(self, gradFnName, []);
  }
  return self;
}

/** `x.t_()`: `x` transposed in place (0-, 1- and 2-d tensors). */
export function t_<T extends Tensor>(self: T): T {
  if (self.ndim > 2) throw new RangeError(`t_() expects a tensor with <= 2 dimensions, but self is ${self.ndim}D`);
  return restrideInPlace(self, (x) => t(x), 'TBackward1');
}

/** `x.transpose_(dim0, dim1)`. */
export const transpose_ = <T extends Tensor>(self: T, dim0: number, dim1: number): T =>
  restrideInPlace(self, (x) => transpose(x, dim0, dim1), 'TransposeBackward1');

/** `x.unsqueeze_(dim)`. */
export const unsqueeze_ = <T extends Tensor>(self: T, dim: number): T => restrideInPlace(self, (x) => unsqueeze(x, dim), 'UnsqueezeBackward1');

/** `x.squeeze_(dim=None)`: every size-1 dim, or the one given, removed in place. */
export const squeeze_ = <T extends Tensor>(self: T, dim?: number): T =>
  restrideInPlace(self, (x) => (dim === undefined ? squeeze(x) : squeeze(x, dim)), dim === undefined ? 'SqueezeBackward2' : 'SqueezeBackward3');
