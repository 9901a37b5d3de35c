import { bindArgs, isOptionsObject, onesLike, type NormOrder, type Tensor } from '@descent/tensor';
import type { Module } from '../module.js';
import { parametersToVector } from './convert-parameters.js';
import { BasePruningMethod, moduleAttribute, PruningContainer, pyClassRepr, type PruningMethodClass } from './prune-base.js';
import { CustomFromMask, Identity, L1Unstructured, LnStructured, RandomStructured, RandomUnstructured } from './prune-methods.js';

/**
 * `torch.nn.utils.prune`: pruning `module[name]` reparametrizes it as the parameter `name_orig` and the buffer
 * `name_mask`, `module[name]` being their product, recomputed by a forward pre-hook (the pruning method itself).
 * Pruning the same tensor again combines the methods in a PruningContainer; `remove` makes the pruning permanent.
 * Each function takes PyTorch's arguments by position or in a trailing options object
 * (`prune.randomUnstructured(module, 'weight', { amount: 0.3 })`) and returns the module.
 */
export { BasePruningMethod, PruningContainer, type PruningType, type PruningMethodClass, type PruneOptions } from './prune-base.js';
export {
  CustomFromMask,
  Identity,
  L1Unstructured,
  LnStructured,
  RandomStructured,
  RandomUnstructured,
  type AmountOptions,
  type ImportanceScoresOptions,
  type LnStructuredOptions,
  type StructuredOptions,
} from './prune-methods.js';

interface Target {
  module?: Module;
  name?: string;
}
interface Amount extends Target {
  amount?: number;
}
interface Scores {
  importanceScores?: Tensor | null;
}
interface Channels extends Amount {
  dim?: number;
}

/** The reparametrization alone: a mask of ones. */
export function identity<M extends Module>(module: M, ...args: [name: string] | [options: Target]): M {
  const o = bindArgs<Required<Target>>({ fn: 'identity', required: ['module', 'name'], positional: [] }, [module, ...args]);
  Identity.apply(o.module, o.name);
  return module;
}

/** Prunes `amount` (a count, or a fraction) of the units of `module[name]` not pruned yet, at random. */
export function randomUnstructured<M extends Module>(module: M, ...args: [name: string, amount: number] | [name: string, options: Amount] | [options: Amount]): M {
  const o = bindArgs<Required<Amount>>({ fn: 'random_unstructured', required: ['module', 'name', 'amount'], positional: [] }, [module, ...args]);
  RandomUnstructured.apply(o.module, o.name, o.amount);
  return module;
}

/** Prunes `amount` of the units not pruned yet, those of smallest magnitude (of `importanceScores` if given). */
export function l1Unstructured<M extends Module>(
  module: M,
  ...args:
    | [name: string, amount: number, importanceScores?: Tensor | null]
    | [name: string, amount: number, options: Scores]
    | [name: string, options: Amount & Scores]
    | [options: Amount & Scores]
): M {
  const o = bindArgs<Required<Amount> & Scores>(
    { fn: 'l1_unstructured', required: ['module', 'name', 'amount'], positional: ['importanceScores'] },
    [module, ...args],
  );
  L1Unstructured.apply(o.module, o.name, o.amount, { importanceScores: o.importanceScores ?? null });
  return module;
}

/** Prunes `amount` of the channels along `dim` not pruned yet, at random. */
export function randomStructured<M extends Module>(
  module: M,
  ...args: [name: string, amount: number, dim: number] | [name: string, amount: number, options: Channels] | [name: string, options: Channels] | [options: Channels]
): M {
  const o = bindArgs<Required<Channels>>({ fn: 'random_structured', required: ['module', 'name', 'amount', 'dim'], positional: [] }, [module, ...args]);
  RandomStructured.apply(o.module, o.name, o.amount, o.dim);
  return module;
}

interface LnChannels extends Channels, Scores {
  n?: NormOrder;
}

/** Prunes `amount` of the channels along `dim` not pruned yet, those of smallest L`n` norm. */
export function lnStructured<M extends Module>(
  module: M,
  ...args:
    | [name: string, amount: number, n: NormOrder, dim: number, importanceScores?: Tensor | null]
    | [name: string, amount: number, n: NormOrder, dim: number, options: Scores]
    | [name: string, amount: number, options: LnChannels]
    | [name: string, options: LnChannels]
    | [options: LnChannels]
): M {
  const o = bindArgs<Required<LnChannels>>(
    { fn: 'ln_structured', required: ['module', 'name', 'amount', 'n', 'dim'], positional: ['importanceScores'] },
    [module, ...args],
  );
  LnStructured.apply(o.module, o.name, o.amount, o.n, o.dim, { importanceScores: o.importanceScores ?? null });
  return module;
}

/** Prunes with the mask `mask` (on top of earlier masks). */
export function customFromMask<M extends Module>(module: M, ...args: [name: string, mask: Tensor] | [name: string, options: { mask?: Tensor }] | [options: Target & { mask?: Tensor }]): M {
  const o = bindArgs<Required<Target> & { mask: Tensor }>({ fn: 'custom_from_mask', required: ['module', 'name', 'mask'], positional: [] }, [module, ...args]);
  CustomFromMask.apply(o.module, o.name, o.mask);
  return module;
}

/** Makes the pruning of `module[name]` permanent: its pre-hook goes, `name` is a parameter again. */
export function remove<M extends Module>(module: M, ...args: [name: string] | [options: Target]): M {
  const { name } = bindArgs<Required<Target>>({ fn: 'remove', required: ['module', 'name'], positional: [] }, [module, ...args]);
  for (const [k, hook] of module._forwardPreHooks) {
    if (hook instanceof BasePruningMethod && hook._tensorName === name) {
      hook.remove(module);
      module._forwardPreHooks.delete(k);
      return module;
    }
  }
  throw new RangeError(`Parameter '${name}' of module ${String(module)} has to be pruned before pruning can be removed`);
}

/** Whether any module in `module`'s tree has a pruning method among its forward pre-hooks. */
export function isPruned(module: Module): boolean {
  for (const [, submodule] of module.namedModules()) {
    for (const hook of submodule._forwardPreHooks.values()) if (hook instanceof BasePruningMethod) return true;
  }
  return false;
}

/** `(module, name)` pairs mapped to importance scores: a Map keyed by `[module, name]` arrays, or its entries. */
export type GlobalImportanceScores = Map<readonly [Module, string], Tensor> | readonly (readonly [readonly [Module, string], Tensor])[];

export interface GlobalUnstructuredOptions {
  pruningMethod?: PruningMethodClass;
  importanceScores?: GlobalImportanceScores | null;
  /** The other keys (`amount`, ...) go to the pruning method's constructor, as PyTorch's `**kwargs`. */
  [kwarg: string]: unknown;
}

/** Python's `dict.get((module, name), fallback)` on scores keyed by `[module, name]`. */
function scoresFor(scores: GlobalImportanceScores, module: Module, name: string): Tensor | undefined {
  for (const [[m, n], t] of scores) if (m === module && n === name) return t;
  return undefined;
}

/**
 * Prunes the tensors `[module, name]` of `parameters` as one: `pruningMethod` (an unstructured method's class,
 * constructed with the remaining options, `{ amount: 0.2 }`) computes one mask over all of them, flattened and
 * joined, on top of their earlier masks; each gets its part through `customFromMask`.
 */
export function globalUnstructured(
  parameters: Iterable<readonly [Module, string]>,
  ...args:
    | [pruningMethod: PruningMethodClass, importanceScores?: GlobalImportanceScores | null, kwargs?: Record<string, unknown>]
    | [pruningMethod: PruningMethodClass, kwargs: GlobalUnstructuredOptions]
    | [kwargs: GlobalUnstructuredOptions]
): void {
  const last = args[args.length - 1];
  const keywords: GlobalUnstructuredOptions = isOptionsObject(last) ? { ...last } : {};
  const given = (isOptionsObject(last) ? args.slice(0, -1) : args) as unknown[];
  const named = ['pruningMethod', 'importanceScores'] as const;
  if (given.length > 2) throw new TypeError(`global_unstructured() takes from 2 to 3 positional arguments but ${given.length + 1} were given`);
  given.forEach((value, i) => {
    if (named[i] in keywords) throw new TypeError(`global_unstructured() got multiple values for argument '${i === 0 ? 'pruning_method' : 'importance_scores'}'`);
    (keywords as Record<string, unknown>)[named[i]] = value;
  });
  const { pruningMethod, importanceScores, ...kwargs } = keywords;
  if (pruningMethod === undefined) throw new TypeError("global_unstructured() missing 1 required positional argument: 'pruning_method'");
  if (parameters === null || parameters === undefined || typeof (parameters as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError('global_unstructured(): parameters is not an Iterable');
  }
  const scores = importanceScores ?? [];
  if (!(scores instanceof Map) && !Array.isArray(scores)) throw new TypeError('global_unstructured(): importance_scores must be of type dict');
  const targets = [...parameters];
  // Python evaluates `getattr(module, name)` (the fallback) even where scores are given: a bad name fails alike.
  const relevantScores = parametersToVector(targets.map(([module, name]) => {
    const param = moduleAttribute(module, name) as Tensor;
    return scoresFor(scores, module, name) ?? param;
  }));
  const own = (module: Module): Record<string, unknown> => module as unknown as Record<string, unknown>;
  const defaultMask = parametersToVector(
    targets.map(([module, name]) => (own(module)[`${name}_mask`] as Tensor | undefined) ?? onesLike(moduleAttribute(module, name) as Tensor)),
  );
  const container = new PruningContainer();
  container._tensorName = 'temp';
  const method = new (pruningMethod as unknown as new (kw: Record<string, unknown>) => BasePruningMethod)(kwargs);
  method._tensorName = 'temp';
  if (method.PRUNING_TYPE !== 'unstructured') {
    throw new TypeError(
      `Only "unstructured" PRUNING_TYPE supported for the \`pruning_method\`. Found method ${pyClassRepr(pruningMethod)} of type ${method.PRUNING_TYPE}`,
    );
  }
  container.addPruningMethod(method);
  const finalMask = container.computeMask(relevantScores, defaultMask);
  let pointer = 0;
  for (const [module, name] of targets) {
    const param = moduleAttribute(module, name) as Tensor;
    const count = param.numel();
    customFromMask(module, name, finalMask.narrow(0, pointer, count).viewAs(param));
    pointer += count;
  }
}
