import { checkOptionKeys, isOptionsObject } from './options.js';

/**
 * A call's optional arguments as `bindArgs` takes them: any leading part of PyTorch's positional order `P`, then an
 * optional options object `O` for the rest by keyword. `ArgsThenOptions<[p: number, inplace: boolean], O>` is
 * `[p, inplace, O?] | [p, O?] | [O?]`.
 */
export type ArgsThenOptions<P extends readonly unknown[], O> = P extends readonly [...infer Head, unknown]
  ? [...P, options?: O] | ArgsThenOptions<Head, O>
  : [options?: O];

/** What a PyTorch signature takes, for `bindArgs`. */
export interface ArgSpec {
  /** The name Python's TypeErrors give the function (`LSTM`, `SGD.__init__`). */
  readonly fn: string;
  /**
   * The required arguments. A count: that many come before `args`, as the caller's own parameters, and only by
   * position. Names, camelCased in PyTorch's order: `args` start with them, and each may come by position or by
   * keyword (`new nn.Conv2d(1, 6, { kernelSize: 5 })` for `nn.Conv2d(1, 6, kernel_size=5)`).
   */
  readonly required: number | readonly string[];
  /** The optional arguments that may be given by position, in PyTorch's order, camelCased. */
  readonly positional: readonly string[];
  /** Arguments that may only be given in the options object. */
  readonly keywordOnly?: readonly string[];
}

/** A camelCased argument's name as Python spells it in its TypeErrors: `kernelSize` is `kernel_size`. */
export const pythonArgName = (name: string): string => name.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Python's list of names in a TypeError: `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`. */
function nameList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${pythonArgName(n)}'`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

function tooMany(fn: string, least: number, most: number, given: number): TypeError {
  const takes = least === most ? `${most} positional argument${most === 1 ? '' : 's'}` : `from ${least} to ${most} positional arguments`;
  return new TypeError(`${fn}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`);
}

/**
 * Binds the arguments as Python does for `f(a, b, c=1, d=2)`: `args` are values for the named required arguments
 * (where `spec.required` names them) then `spec.positional`, in order, optionally followed by one options object
 * (`new nn.LSTM(10, 20, 2, { batchFirst: true })`, `new nn.LSTM({ inputSize: 10, hiddenSize: 20 })`). An
 * undefined value counts as not given. Python's TypeErrors for too many positional arguments, an argument given
 * twice, a required one missing, and a key the function does not take.
 */
export function bindArgs<O extends object>(spec: ArgSpec, args: readonly unknown[]): O {
  const { fn, positional } = spec;
  const named = typeof spec.required === 'number' ? [] : spec.required;
  const before = typeof spec.required === 'number' ? spec.required : 0;
  const order = [...named, ...positional];
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const keywords = isOptionsObject(last) ? last : undefined;
  const values = keywords ? args.slice(0, -1) : args;
  if (values.some((v) => isOptionsObject(v))) throw new TypeError(`${fn}(): the options object must be the last argument`);
  if (values.length > order.length) throw tooMany(fn, before + named.length, before + order.length, before + values.length);
  checkOptionKeys(fn, keywords, [...order, ...(spec.keywordOnly ?? [])]);
  const options: Record<string, unknown> = {};
  values.forEach((value, i) => {
    if (value !== undefined) options[order[i]] = value;
  });
  for (const [key, value] of Object.entries(keywords ?? {})) {
    if (key in options) throw new TypeError(`${fn}() got multiple values for argument '${pythonArgName(key)}'`);
    options[key] = value;
  }
  const missing = named.filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    const s = missing.length === 1 ? '' : 's';
    throw new TypeError(`${fn}() missing ${missing.length} required positional argument${s}: ${nameList(missing)}`);
  }
  return options as O;
}
