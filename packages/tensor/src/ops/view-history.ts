import type { Device } from '../device.js';
import { run, type OpBody } from '../gate.js';
import { gradMode } from '../grad-mode.js';
import { GradNode } from '../graph.js';
import * as k from '../kernels.js';
import type { ViewPlacement, ViewReplay } from '../op-params.js';
import { installViewRefresh, type Tensor } from '../tensor.js';

/**
 * Views and in-place writes, as PyTorch records them. A view remembers its base and how it was made (`_markView`).
 * A write through a view changes the base's values, so the base's history becomes a `CopySlices` node over its old
 * history and the value written; every view of that base then regenerates its own history from the base's
 * (`AsStridedBackward0`) the next time autograd looks at it.
 */

/** Marks `out`, made from `x` by a view op, as a view of `x`'s base; `step` redoes that op on another tensor. */
export function markView(out: Tensor, x: Tensor, step: ViewReplay): Tensor {
  if (out === x) return out;
  // PyTorch's views of a multi-output view inherit its ban on in-place writes (grad mode off makes a plain view).
  if (x._multiOutputView && gradMode.enabled) out._multiOutputView = true;
  const parent = x._replay;
  if (x._base !== null && parent !== null) out._markView(x._base, (t) => step(parent(t)));
  else out._markView(x, step);
  return out;
}

const asStridedBody: OpBody<'asStrided', Tensor> = ([base], { replay }) => replay(base);

/** Regenerates a view's history when its storage changed since the view got it and the base requires grad. */
function refresh(view: Tensor): void {
  const version = view._storage.version;
  if (version === view._historyVersion) return;
  if (view._multiOutputView) throw multiOutputError(view, 'its base or another view of its base has been modified inplace');
  view._historyVersion = version;
  const base = view._base;
  const replay = view._replay;
  if (base === null || replay === null || !base.requiresGrad) return;
  const enabled = gradMode.enabled;
  gradMode.enabled = true;
  let regenerated: Tensor;
  try {
    regenerated = run('asStrided', [base], { baseShape: base.shape, replay }, asStridedBody);
  } finally {
    gradMode.enabled = enabled;
  }
  const node = regenerated.gradFn;
  if (node !== null) view._setHistory(node);
}

installViewRefresh(refresh);

const viewScatterBody: OpBody<'viewScatter', Tensor> = ([values], { baseShape, replay }, device) => {
  const out = k.full(device, baseShape, 0, values.dtype);
  k.copyInto(values, replay(out));
  return out;
};

/** Zeros of the base's shape holding `values` where the view lies: the adjoint of a view, differentiable. */
export function viewScatter(values: Tensor, placement: ViewPlacement): Tensor {
  return run('viewScatter', [values], placement, viewScatterBody);
}

/** A bool tensor of the base's shape: true outside the view, false inside it. */
export function outsideView({ baseShape, replay }: ViewPlacement, device: Device): Tensor {
  const mask = k.full(device, baseShape, 1, 'bool');
  k.fill(replay(mask), 0);
  return mask;
}

/**
 * PyTorch's error for a view made by an op returning several (unbind) once it or its base was written in place:
 * the op's one node cannot take a CopySlices for one output.
 */
function multiOutputError(view: Tensor, what: string): Error {
  const node = view._recordedGradFn();
  const [owner, index] = node ? node._asEdge() : [null, 0];
  return new Error(
    `Output ${index} of ${owner?.name() ?? 'UnbindBackward0'} is a view and ${what}. This view is the output of a function ` +
      'that returns multiple views. Such functions do not allow the output views to be modified inplace. You should ' +
      'replace the inplace operation by an out-of-place one.',
  );
}

/**
 * PyTorch refuses to write through a view of a leaf that requires grad (the leaf's gradient would be lost), and
 * through a multi-output view.
 */
export function checkViewWritable(self: Tensor): void {
  if (gradMode.enabled && self._multiOutputView) throw multiOutputError(self, 'is being modified inplace');
  const base = self._base;
  if (gradMode.enabled && base !== null && base.isLeaf && base.requiresGrad) {
    throw new Error(
      'a view of a leaf Variable that requires grad is being used in an in-place operation. ' +
        'Write to the leaf under torch.noGrad(() => ...), or to a clone.',
    );
  }
}

/**
 * Records a write of `value` (null for fills) through the view `self` on its base: the base's new history is
 * `CopySlices(base before, value)`. Nothing is recorded when neither requires grad, or grad mode is off.
 */
export function recordWriteThroughView(self: Tensor, value: Tensor | null): void {
  const base = self._base;
  const replay = self._replay;
  if (!gradMode.enabled || base === null || replay === null) return;
  const valueEdge = value !== null && value.requiresGrad ? value._gradEdge() : null;
  if (!base.requiresGrad && valueEdge === null) return;
  const next = [base.requiresGrad ? base._gradEdge() : null, valueEdge];
  const meta = [
    { shape: base.shape, dtype: base.dtype },
    { shape: value?.shape ?? self.shape, dtype: self.dtype },
  ];
  base._setHistory(new GradNode('copySlices', next, meta, { baseShape: base.shape, replay }, []));
}
