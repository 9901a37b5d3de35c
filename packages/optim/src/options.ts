import { bindArgs } from '@descent/tensor';

/**
 * PyTorch's implementation switches: which kernels run (`foreach`, `fused`), CUDA graphs (`capturable`), autograd
 * through `step()` (`differentiable`). Each optimizer takes those PyTorch 1.13's takes, where it takes them (by
 * position in RMSprop, Adagrad, ...), so the positional order stays PyTorch's. Descent has one implementation of
 * each optimizer, outside autograd: `foreach` has no effect, and the others may only be false.
 */
export interface SwitchOptions {
  foreach?: boolean | null;
  differentiable?: boolean;
  capturable?: boolean;
  fused?: boolean;
}

/**
 * An optimizer's hyperparameters bound as Python binds `Optimizer(params, lr, ...)`: `args` are values for
 * `positional` in PyTorch 1.13's order (`new SGD(params, 0.1, 0.9)` is momentum 0.9), then an optional options
 * object for any of them and for `keywordOnly` (`new Adam(params, 1e-3, { amsgrad: true })`,
 * `new SGD(params, { lr: 0.1 })`). Python's TypeErrors name the class (`SGD.__init__() got an unexpected keyword
 * argument 'foo'`, `... got multiple values for argument 'lr'`, `... takes from 2 to 7 positional arguments but 8
 * were given`). The switches of `SwitchOptions` are checked and left out.
 */
export function optimizerOptions<O extends object>(
  className: string,
  args: readonly unknown[],
  positional: readonly (keyof O & string)[],
  keywordOnly: readonly (keyof O & string)[] = [],
): O {
  const bound = bindArgs<O & SwitchOptions>({ fn: `${className}.__init__`, required: 2, positional, keywordOnly }, args);
  const { foreach: _, differentiable, capturable, fused, ...given } = bound;
  for (const [name, on] of Object.entries({ differentiable, capturable, fused })) {
    if (on) throw new RangeError(`${className}: ${name}=True is not supported (Descent has one implementation of each optimizer, outside autograd)`);
  }
  // Anything in lr's place (a string, null) is left to each optimizer's "Invalid learning rate" check.
  return given as O;
}
