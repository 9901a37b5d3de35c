import { run } from '../gate.js';
import { gradMode } from '../grad-mode.js';
import { GradNode } from '../graph.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { setOutputHistories } from './output-parts.js';
import { select } from './views.js';

/**
 * `torch.unbind(x, dim)`: the slices along `dim`, each a view without that dim. As in PyTorch, one op with several
 * outputs: the slices share one node (UnbindBackward0) whose rule stacks their gradients, one kernel where a
 * `select` per slice would scatter each gradient into zeros and add them up. Like PyTorch's, these views may not be
 * written in place while grad is recorded (ops/view-history.ts).
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new RangeError('Dimension specified as 0 but tensor has no dimensions');
  const d = normalizeDim(dim, x.ndim);
  let out: Tensor[] = [];
  // The selects run unrecorded inside the gate when unbind records; each still marks its view of x's base.
  run('unbind', [x], { dim: d }, ([t]) => {
    out = Array.from({ length: t.shape[d] }, (_, i) => select(t, d, i));
  });
  if (out.length > 0 && gradMode.enabled && x.requiresGrad) {
    setOutputHistories(new GradNode('unbind', [x._gradEdge()], [{ shape: x.shape, dtype: x.dtype }], { dim: d }, []), out);
    for (const o of out) o._multiOutputView = true;
  }
  return out;
}
