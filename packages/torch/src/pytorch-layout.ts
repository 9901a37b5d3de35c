import { encodeTorchCheckpoint as encodeWithDescentLayout, isTensor } from '@descent/tensor';
import { isOptimizerStateDict, toPyTorchStateDict } from '@descent/optim';

/**
 * `obj` as Python's `torch.save` would have been given it: every `optimizer.stateDict()` inside it (at any depth, e.g.
 * a checkpoint's `optimizer_state_dict`) in PyTorch's layout (`param_groups`, `momentum_buffer`...), so Python's
 * `optimizer.load_state_dict(torch.load(path)[...])` accepts it. Containers without one are returned as they are
 * (a container that holds itself too: the writer reports the cycle).
 */
export function withPyTorchOptimizerLayout(obj: unknown, open = new Set<object>()): unknown {
  if (isOptimizerStateDict(obj)) return toPyTorchStateDict(obj);
  if (isTensor(obj) || typeof obj !== 'object' || obj === null || open.has(obj)) return obj;
  const prototype = Object.getPrototypeOf(obj) as unknown;
  if (!Array.isArray(obj) && prototype !== Object.prototype && prototype !== null) return obj;
  open.add(obj);
  const converted = Array.isArray(obj)
    ? obj.map((item) => withPyTorchOptimizerLayout(item, open))
    : Object.fromEntries(Object.entries(obj).map(([key, value]) => [key, withPyTorchOptimizerLayout(value, open)]));
  open.delete(obj);
  const changed = Object.entries(converted).some(([key, value]) => value !== (obj as Record<string, unknown>)[key]);
  return changed ? converted : obj;
}

/**
 * `torch.encodeTorchCheckpoint(obj)`: the bytes `torch.save` would write (in a browser too), with optimizer state
 * dicts in PyTorch's layout as `torch.save` writes them.
 */
export function encodeTorchCheckpoint(obj: unknown, archiveName?: string): Promise<Uint8Array> {
  return encodeWithDescentLayout(withPyTorchOptimizerLayout(obj), archiveName);
}
