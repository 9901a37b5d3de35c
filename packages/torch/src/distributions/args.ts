import { Tensor } from '@descent/tensor';

const isOptions = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !(x instanceof Tensor) && !Array.isArray(x);

/**
 * Python's call binding for a constructor: the leading arguments by position in `names` order, then an optional
 * trailing options object by keyword (`new Categorical(probs)`, `new Categorical({ logits })`,
 * `new Normal(0, 1, { validateArgs: false })`). A name given both ways is PyTorch's TypeError.
 */
export function bindArgs(owner: string, names: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  const last = args.at(-1);
  const options = isOptions(last) ? last : {};
  const positional = isOptions(last) ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    throw new TypeError(`__init__() takes from 1 to ${names.length + 1} positional arguments but ${positional.length + 1} were given`);
  }
  const bound: Record<string, unknown> = {};
  positional.forEach((v, i) => (bound[names[i]] = v));
  for (const [key, v] of Object.entries(options)) {
    if (!names.includes(key)) throw new TypeError(`${owner}.__init__() got an unexpected keyword argument '${key}'`);
    if (key in bound) throw new TypeError(`${owner}.__init__() got multiple values for argument '${key}'`);
    bound[key] = v;
  }
  return bound;
}
