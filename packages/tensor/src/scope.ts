import { DISPOSE } from './disposable.js';
import { activeScopes } from './kernels.js';
import { Tensor } from './tensor.js';

/**
 * Tensors created while a scope is open are disposed when it closes, except what is kept: GPU memory otherwise
 * comes back when tensors become unreachable, and a scope makes it deterministic (e.g. around one training step).
 * Open one with `scope(fn)`, or with `using s = scope()` for the rest of a block.
 */
export class Scope {
  private readonly created: Tensor[] = [];
  private open = true;

  constructor() {
    activeScopes.push(this.created);
  }

  /** Disposes the tensors created inside, except `results` (tensors, or arrays/objects holding them). */
  close(results?: unknown): void {
    if (!this.leave()) return;
    const keep = new Set<unknown>();
    collect(results, keep);
    for (const t of this.created) {
      if (keep.has(t._storage) || t._storage.pinned || (t.requiresGrad && t.isLeaf)) continue;
      t._storage.dispose();
    }
  }

  [DISPOSE](): void {
    this.close();
  }

  /** Stops recording without disposing anything; false if already closed. */
  leave(): boolean {
    if (!this.open) return false;
    this.open = false;
    const index = activeScopes.lastIndexOf(this.created);
    if (index >= 0) activeScopes.splice(index, 1);
    return true;
  }
}

/**
 * `scope(fn)` runs `fn` and disposes every tensor created inside it, except what it returns (a tensor, or an array
 * or object of tensors); `fn` must be synchronous. `scope()` with no function returns an open {@link Scope} for
 * `using s = torch.scope();`, which closes at the end of the block (keep results past it with {@link keep}). Like
 * `fn`, that block must not `await`: scopes record every tensor created while they are open, including those of
 * other code that runs during the wait.
 */
export function scope(): Scope;
export function scope<T>(fn: () => T): T;
export function scope<T>(fn?: () => T): T | Scope {
  const opened = new Scope();
  if (fn === undefined) return opened;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    opened.leave(); // what failed code stored elsewhere may still be in use: leave it to the garbage collector
    throw error;
  }
  opened.close(result);
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
