import { isOptionsObject } from '@descent/tensor';

/** A scheduler's arguments after the optimizer: its options object, or PyTorch's positional values then options. */
export type SchedulerArgs<O> = [options?: O] | [first: unknown, ...rest: unknown[]];

/**
 * Python's binding for `Scheduler(optimizer, a, b=..., ...)`: leading values for `positional` in PyTorch's order,
 * then an optional options object (`new StepLR(opt, 30, 0.1)`, `new StepLR(opt, 30, { gamma: 0.1 })`,
 * `new StepLR(opt, { stepSize: 30 })`). Without this a positional value was read as the options object: some
 * schedulers then raised about a missing option, ReduceLROnPlateau(opt, 'max') quietly minimized.
 */
export function schedulerArgs<O extends object>(fn: string, positional: readonly (keyof O & string)[], args: readonly unknown[]): O {
  const last = args.at(-1);
  const keywords = isOptionsObject(last) ? (last as Record<string, unknown>) : undefined;
  const values = keywords ? args.slice(0, -1) : args;
  if (values.length > positional.length) {
    throw new TypeError(`${fn}.__init__() takes from 2 to ${positional.length + 2} positional arguments but ${values.length + 2} were given`);
  }
  const options: Record<string, unknown> = {};
  values.forEach((v, i) => {
    if (v !== undefined) options[positional[i]] = v;
  });
  for (const [key, v] of Object.entries(keywords ?? {})) {
    if (key in options) throw new TypeError(`${fn}.__init__() got multiple values for argument '${key}'`);
    options[key] = v;
  }
  return options as O;
}
