import { DISPOSE } from './disposable.js';
import { activeScopes } from './kernels.js';
import { Tensor } from './tensor.js';
import { isThenable, rejectAsyncFunction } from './sync-only.js';

const ASYNC_ADVICE =
  'a scope cannot follow an await (it would record the tensors other code creates during the wait, and dispose ' +
  'tensors still in use after it). Await first, then open the scope around the synchronous work, e.g. per ' +
  'training step: `const [x, y] = await nextBatch(); torch.scope(() => trainStep(x, y));`.';

/**
 * Tensors created while a scope is open are disposed when it closes, except what is kept: GPU memory otherwise
 * comes back when tensors become unreachable, and a scope makes it deterministic (e.g. around one training step).
 * Open one with `scope(fn)`, or with `using s = scope()` for the rest of a block.
 *
 * What a scope never disposes: what it returns, tensors passed to {@link keep}, leaves that require grad, gradients
 * (`.grad`), and state stored in a module or an optimizer (parameters, buffers, optimizer state: storing them keeps
 * them). A scope that stayed open across an `await` disposes nothing and throws when it closes.
 */
export class Scope {
  private readonly created: Tensor[] = [];
  private open = true;

  /**
   * @param only `'unmanaged'` disposes only tensors on backends that are not garbage collected (GPUs), as autograd
   * does with the temporaries of a backward pass; the rest go to the enclosing scope, as kept tensors do.
   */
  constructor(private readonly only: 'all' | 'unmanaged' = 'all') {
    activeScopes.push(this.created);
    openScopes.add(this);
    checkAfterThisRun();
  }

  /** Disposes the tensors created inside, except `results` (tensors, or arrays/objects holding them). */
  close(results?: unknown): void {
    if (!this.leave()) return;
    if (crossedAwait.has(this)) {
      throw new Error(
        `A scope was still open across an await, so it disposed nothing: ${ASYNC_ADVICE} With \`using s = torch.scope()\`, ` +
          'end the block before the first await.',
      );
    }
    const kept = new Set<unknown>();
    forEachTensor(results, (t) => {
      kept.add(t._storage);
      if (t.grad) kept.add(t.grad._storage);
    });
    // What survives is the enclosing scope's to dispose, as if made there (a nested scope's results among it).
    const outer = activeScopes.length > 0 ? activeScopes[activeScopes.length - 1] : null;
    for (const t of this.created) {
      const storage = t._storage;
      if (kept.has(storage) || storage.pinned || (t.requiresGrad && t.isLeaf) || (this.only === 'unmanaged' && storage.device.backend.gcManaged)) {
        outer?.push(t);
        continue;
      }
      storage.dispose();
    }
  }

  [DISPOSE](): void {
    this.close();
  }

  /** Stops recording without disposing anything; false if already closed. */
  leave(): boolean {
    if (!this.open) return false;
    this.open = false;
    openScopes.delete(this);
    const index = activeScopes.lastIndexOf(this.created);
    if (index >= 0) activeScopes.splice(index, 1);
    return true;
  }
}

/** Scopes open now, and those found still open after the synchronous run that opened them (so across an await). */
const openScopes = new Set<Scope>();
const crossedAwait = new WeakSet<Scope>();
let checkQueued = false;

/**
 * Queues one microtask per synchronous run of code (not one per scope, so a loop of scopes retains nothing): it
 * runs once that code is done, so a scope still open then spans an await.
 */
function checkAfterThisRun(): void {
  if (checkQueued) return;
  checkQueued = true;
  queueMicrotask(() => {
    checkQueued = false;
    for (const s of openScopes) crossedAwait.add(s);
  });
}

/**
 * `scope(fn)` runs `fn` and disposes every tensor created inside it, except what it returns (a tensor, or an array
 * or object of tensors) and what is kept (see {@link Scope}). `fn` must be synchronous: an `async` function throws a
 * TypeError before it runs, and one that returns a Promise throws (disposing nothing) once it returns. `scope()` with
 * no function returns an open {@link Scope} for `using s = torch.scope();`, which closes at the end of the block
 * (keep results past it with {@link keep}). Like `fn`, that block must not `await`: a scope still open after an
 * await disposes nothing and throws when it closes.
 */
export function scope(): Scope;
export function scope<T>(fn: () => T): T;
export function scope<T>(fn?: () => T): T | Scope {
  if (fn !== undefined) rejectAsyncFunction(fn, 'scope()', ASYNC_ADVICE);
  const opened = new Scope();
  if (fn === undefined) return opened;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    opened.leave(); // what failed code stored elsewhere may still be in use: leave it to the garbage collector
    throw error;
  }
  if (isThenable(result)) {
    opened.leave(); // the pending work may still use what the scope recorded
    throw new TypeError(`scope() got a function that returned a Promise, so it disposed nothing: ${ASYNC_ADVICE}`);
  }
  opened.close(result);
  return result;
}

/** Calls `visit` on every tensor in `value`: a tensor, or arrays, Maps and objects holding tensors (at any depth). */
function forEachTensor(value: unknown, visit: (t: Tensor) => void, seen = new Set<object>()): void {
  if (value instanceof Tensor) {
    visit(value);
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const items = value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value);
  for (const item of items) forEachTensor(item, visit, seen);
}

/**
 * Runs `fn` with what it creates recorded by no open scope (autograd's hooks: user code that may store what it
 * makes); it is left to the garbage collector, or to `dispose()`.
 */
export function unscoped<T>(fn: () => T): T {
  const ignored: Tensor[] = [];
  activeScopes.push(ignored);
  try {
    return fn();
  } finally {
    activeScopes.splice(activeScopes.lastIndexOf(ignored), 1);
  }
}

/**
 * Marks tensors to survive any enclosing `scope()`, now and later, and returns `value`: a tensor, or every tensor in
 * an array, Map or object of them (as `scope(fn)` keeps what `fn` returns). Use it for state you store across
 * steps yourself; modules and optimizers already keep what they store (parameters, buffers, optimizer state).
 * Kept memory still comes back when the tensor becomes unreachable, or on `dispose()`.
 */
export function keep<T>(value: T): T {
  forEachTensor(value, (t) => {
    t._storage.pinned = true;
  });
  return value;
}
