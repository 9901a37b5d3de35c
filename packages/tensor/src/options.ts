/**
 * Keyword arguments arrive as a trailing options object; a key the function does not take raises Python's
 * TypeError, as PyTorch does for `x.sum(1, keepdims=True)`, instead of being silently ignored.
 */
export function checkOptionKeys(fn: string, options: object | undefined | null, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'`);
  }
}

/** A trailing options object, as opposed to a positional value (a number, a string, an array or a tensor). */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
