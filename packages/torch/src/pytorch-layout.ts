import { isTensor } from '@descent/tensor';
import { isOptimizerStateDict, toPyTorchStateDict } from '@descent/optim';

/**
 * `obj` as Python's `torch.save` would have been given it: every `optimizer.stateDict()` inside it (at any depth, e.g.
 * a checkpoint's `optimizer_state_dict`) in PyTorch's layout (`param_groups`, `momentum_buffer`...), so Python's
 * `optimizer.load_state_dict(torch.load(path)[...])` accepts it. Containers without one are returned as they are.
 */
export function withPyTorchOptimizerLayout(obj: unknown): unknown {
  if (isOptimizerStateDict(obj)) return toPyTorchStateDict(obj);
  if (isTensor(obj) || typeof obj !== 'object' || obj === null) return obj;
  if (Array.isArray(obj)) {
    const items = obj.map(withPyTorchOptimizerLayout);
    return items.some((item, i) => item !== obj[i]) ? items : obj;
  }
  if (Object.getPrototypeOf(obj) !== Object.prototype && Object.getPrototypeOf(obj) !== null) return obj;
  const entries = Object.entries(obj).map(([key, value]) => [key, withPyTorchOptimizerLayout(value)] as const);
  return entries.some(([key, value]) => value !== (obj as Record<string, unknown>)[key]) ? Object.fromEntries(entries) : obj;
}
