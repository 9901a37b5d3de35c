import { rejectAsyncFunction, rejectThenable } from './sync-only.js';

/** Whether ops record the autograd graph (PyTorch's grad mode). A module-level flag: JS runs one op at a time. */
export const gradMode = { enabled: true };

export function isGradEnabled(): boolean {
  return gradMode.enabled;
}

/**
 * Turns grad mode on or off for everything that runs next, as `torch.set_grad_enabled(mode)`. This is the form that
 * may span an `await` (the mode stays until set again, for all code that runs meanwhile): restore it in `finally`.
 */
export function setGradEnabled(enabled: boolean): void {
  gradMode.enabled = enabled;
}

const ASYNC_ADVICE =
  'grad mode is one switch for the whole program and cannot follow an await (the code after the first await would ' +
  'run with the previous mode). Call it around the synchronous part and await outside: ' +
  '`const y = torch.noGrad(() => model(x)); const values = await y.dataAsync();`. To keep a mode across awaits on ' +
  'purpose, use `const previous = torch.isGradEnabled(); torch.setGradEnabled(false); try { ... } finally { ' +
  'torch.setGradEnabled(previous); }`.';

/** Runs synchronous `fn` with grad mode set to `enabled`, then restores the previous mode. */
function withGradMode<T>(enabled: boolean, caller: string, fn: () => T): T {
  rejectAsyncFunction(fn, caller, ASYNC_ADVICE);
  const previous = gradMode.enabled;
  gradMode.enabled = enabled;
  let result: T;
  try {
    result = fn();
  } finally {
    gradMode.enabled = previous;
  }
  rejectThenable(result, caller, ASYNC_ADVICE);
  return result;
}

/**
 * Runs `fn` without recording gradients and returns its result, as `with torch.no_grad():`. `fn` must be
 * synchronous: an `async` function (or one that returns a Promise) throws a TypeError, because grad mode could not
 * follow its `await`s. Await outside instead (`await torch.noGrad(() => model(x)).dataAsync()`), or use
 * {@link setGradEnabled} with `try ... finally` to span awaits on purpose.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, 'noGrad()', fn);
}

/**
 * Runs `fn` with gradient recording on, even inside `noGrad`, as `with torch.enable_grad():`. Like {@link noGrad},
 * `fn` must be synchronous: an `async` function (or one that returns a Promise) throws a TypeError.
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, 'enableGrad()', fn);
}
