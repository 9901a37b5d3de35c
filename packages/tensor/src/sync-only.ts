/**
 * `noGrad`, `enableGrad` and `scope` set process-wide state (grad mode, the open scopes) around one call. JavaScript
 * has no async context that could carry that state across an `await` in every runtime (Node's AsyncLocalStorage
 * does not exist in browsers), so they take synchronous functions only, and refuse an async one at once instead of
 * silently recording the graph (or disposing tensors still in use) after its first `await`.
 */

/** The constructor of native `async` functions and arrows (it is not a global). */
const AsyncFunction = (async () => undefined).constructor;

/** Throws before running anything when `fn` is a native `async` function. */
export function rejectAsyncFunction(fn: unknown, caller: string, advice: string): void {
  if (fn instanceof AsyncFunction) throw new TypeError(`${caller} got an async function: ${advice}`);
}

/**
 * Throws when a function already run returned a Promise (an async function compiled to a plain one, or a plain
 * function that starts async work): whatever it does after its first `await` runs outside `caller`.
 */
export function rejectThenable(result: unknown, caller: string, advice: string): void {
  if (isThenable(result)) throw new TypeError(`${caller} got a function that returned a Promise: ${advice}`);
}

/** Whether `value` is a Promise or another thenable. */
export function isThenable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return typeof (value as { then?: unknown }).then === 'function';
}
