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

/** A `dim` argument that may come as a keyword instead: `x.sum({ dim: 1, keepdim: true })` for `x.sum(dim=1, keepdim=True)`. */
export type DimOr<D, O extends object = object> = D | (O & { dim?: D; axis?: D; keepdims?: boolean });

/**
 * Splits a `dim` given positionally or as a keyword (PyTorch takes both, and `axis` as NumPy's alias) from the
 * other options: `x.sum(1, { keepdim: true })` and `x.sum({ dim: 1, keepdim: true })` are the same call.
 */
export function splitDim<D, O extends object>(
  fn: string,
  dim: DimOr<D, O> | undefined,
  options: O | boolean | undefined,
  positional?: keyof O & string,
): [D | undefined, O] {
  // A boolean is PyTorch's next positional argument (`x.sum(1, True)` is keepdim, `x.std(0, False)` unbiased):
  // reading it as an empty options object dropped it without a word.
  if (typeof options === 'boolean') {
    if (positional === undefined) throw new TypeError(`${fn}() takes its keyword arguments in an options object`);
    return splitDim(fn, dim, { [positional]: options } as O);
  }
  if (!isOptionsObject(dim)) return [dim as D | undefined, numpyAliases(fn, (options ?? {}) as O)];
  if (options !== undefined && isOptionsObject(options) && Object.keys(options).length > 0) {
    throw new TypeError(`${fn}() takes its keyword arguments in one options object`);
  }
  const { dim: d, axis, ...rest } = dim;
  if (d !== undefined && axis !== undefined) throw new TypeError(`${fn}() received both dim and its alias axis`);
  return [(d ?? axis) as D | undefined, numpyAliases(fn, rest as O)];
}

/**
 * PyTorch's argument parser takes NumPy's `keepdims` for `keepdim` in its native functions (`X.sum(1, keepdims=True)`,
 * as d2l's softmax from scratch writes it), as it takes `axis` for `dim`.
 */
function numpyAliases<O extends object>(fn: string, options: O): O {
  if (!('keepdims' in options)) return options;
  const { keepdims, ...rest } = options as O & { keepdims?: boolean };
  if ('keepdim' in rest) throw new TypeError(`${fn}() received both keepdim and its alias keepdims`);
  return { ...rest, keepdim: keepdims } as O;
}

/**
 * An argument PyTorch also takes by keyword, where a translation writes an options object
 * (`torch.triu(x, diagonal=1)` as `torch.triu(x, { diagonal: 1 })`): its keys, checked against `names`, or null
 * when the argument is positional. Reading an options object as a number would be a silent wrong result.
 */
export function keywordArgs<K extends string>(fn: string, value: unknown, names: readonly K[]): Partial<Record<K, unknown>> | null {
  if (!isOptionsObject(value)) return null;
  checkOptionKeys(fn, value, names);
  return value as Partial<Record<K, unknown>>;
}

/**
 * A lone `dim` argument, positional or as `{ dim }` (`torch.cat(xs, dim=1)`, `x.softmax(dim=1)`): `fallback` where it
 * is absent, or PyTorch's missing-argument error where it is required.
 */
export function dimOnly(fn: string, dimOr: DimOr<number> | undefined, fallback: number | 'required'): number;
export function dimOnly(fn: string, dimOr: DimOr<number> | undefined, fallback?: undefined): number | undefined;
export function dimOnly(fn: string, dimOr: DimOr<number> | undefined, fallback?: number | 'required'): number | undefined {
  const [dim, rest] = splitDim<number, object>(fn, dimOr, undefined);
  checkOptionKeys(fn, rest, []);
  if (dim !== undefined) return dim;
  if (fallback === 'required') throw new TypeError(`${fn}() missing 1 required positional argument: 'dim'`);
  return fallback;
}
