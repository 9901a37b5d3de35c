import { activeScopes } from './kernels.js';
import { Tensor } from './tensor.js';

/**
 * Runs `fn` and disposes every tensor created inside it, except what it returns (a tensor, or an array or object
 * of tensors). GPU memory is otherwise reclaimed when tensors become unreachable; a scope makes it deterministic,
 * e.g. around one training step. `fn` must be synchronous.
 */
export function scope<T>(fn: () => T): T {
  const created: Tensor[] = [];
  activeScopes.push(created);
  let result: T;
  try {
    result = fn();
  } finally {
    activeScopes.pop();
  }
  const keep = new Set<unknown>();
  collect(result, keep);
  for (const t of created) {
    if (keep.has(t._storage) || t._storage.pinned || (t.requiresGrad && t.isLeaf)) continue;
    t._storage.dispose();
  }
  return result;
}

function collect(value: unknown, keep: Set<unknown>): void {
  if (value instanceof Tensor) {
    keep.add(value._storage);
    if (value.grad) keep.add(value.grad._storage);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, keep);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collect(v, keep);
  }
}

/** Marks a tensor to survive any enclosing `scope()` (e.g. state you store across training steps). */
export function keep<T extends Tensor>(t: T): T {
  t._storage.pinned = true;
  return t;
}
