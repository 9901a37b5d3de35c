import { checkOptionKeys, isOptionsObject } from './options.js';

/**
 * A call's optional arguments as `bindArgs` takes them: any leading part of PyTorch's positional order `P`, then an
 * optional options object `O` for the rest by keyword. `ArgsThenOptions<[p: number, inplace: boolean], O>` is
 * `[p, inplace, O?] | [p, O?] | [O?]`.
 */
export type ArgsThenOptions<P extends readonly unknown[], O> = P extends readonly [...infer Head, unknown]
  ? [...P, options?: O] | ArgsThenOptions<Head, O>
  : [options?: O];

/** What a PyTorch signature takes after its required arguments, for `bindArgs`. */
export interface ArgSpec {
  /** The name Python's TypeErrors give the function (`LSTM`, `SGD.__init__`). */
  readonly fn: string;
  /** How many required arguments come before the optional ones (they are not in `args`). */
  readonly required: number;
  /** The optional arguments that may be given by position, in PyTorch's order, camelCased. */
  readonly positional: readonly string[];
  /** Arguments that may only be given in the options object. */
  readonly keywordOnly?: readonly string[];
}

/**
 * Binds the optional arguments as Python does for `f(a, b, c=1, d=2)`: `args` are values for `spec.positional`
 * in order, optionally followed by one options object (`new nn.LSTM(10, 20, 2, { batchFirst: true })`). An
 * undefined value counts as not given. Python's TypeErrors for too many positional arguments, an argument given
 * twice, and a key the function does not take.
 */
export function bindArgs<O extends object>(spec: ArgSpec, args: readonly unknown[]): O {
  const { fn, required, positional } = spec;
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const keywords = isOptionsObject(last) ? last : undefined;
  const values = keywords ? args.slice(0, -1) : args;
  if (values.some((v) => isOptionsObject(v))) throw new TypeError(`${fn}(): the options object must be the last argument`);
  if (values.length > positional.length) {
    const most = required + positional.length;
    throw new TypeError(`${fn}() takes from ${required} to ${most} positional arguments but ${required + values.length} were given`);
  }
  checkOptionKeys(fn, keywords, [...positional, ...(spec.keywordOnly ?? [])]);
  const options: Record<string, unknown> = {};
  values.forEach((value, i) => {
    if (value !== undefined) options[positional[i]] = value;
  });
  for (const [key, value] of Object.entries(keywords ?? {})) {
    if (key in options) throw new TypeError(`${fn}() got multiple values for argument '${key}'`);
    options[key] = value;
  }
  return options as O;
}
