import { checkOptionKeys, isOptionsObject } from '@descent/tensor';

/**
 * An optimizer's hyperparameters as its constructor was given them: `lr` positionally (`new SGD(params, 0.01)`,
 * `new SGD(params, 0.01, { momentum: 0.9 })`) or in the options (`new SGD(params, { lr: 0.01 })`), as PyTorch's
 * `lr` is positional-or-keyword. An unknown key raises Python's TypeError for an unexpected keyword argument,
 * naming the class as PyTorch does (`SGD.__init__() got an unexpected keyword argument 'foo'`).
 */
export function optimizerOptions<O extends { lr?: number }>(
  className: string,
  lrOrOptions: number | O | undefined,
  options: Omit<O, 'lr'> | undefined,
  keys: readonly string[],
): O {
  const fn = `${className}.__init__`;
  if (lrOrOptions === undefined || isOptionsObject(lrOrOptions)) {
    if (options !== undefined) {
      throw new TypeError(`${fn}(): pass the hyperparameters in one options object, or lr first and then the options`);
    }
    checkOptionKeys(fn, lrOrOptions, keys);
    return { ...(lrOrOptions as O) };
  }
  if (options !== undefined && !isOptionsObject(options)) {
    throw new TypeError(`${fn}(): after lr, pass the other hyperparameters in an options object, got ${String(options)}`);
  }
  checkOptionKeys(fn, options, keys);
  if (options !== undefined && (options as { lr?: unknown }).lr !== undefined) {
    throw new TypeError(`${fn}() got multiple values for argument 'lr'`);
  }
  // Anything else in lr's place (a string, null) is left to the "Invalid learning rate" check.
  return { ...(options as O), lr: lrOrOptions as number };
}
