import { bindArgs, isOptionsObject, keep, onesLike, Tensor, type IndexSpec } from '@descent/tensor';
import type { Module } from '../module.js';
import { moveTensorData } from '../move-tensor-data.js';
import { Parameter } from '../parameter.js';
import { pyTypeName } from '../python-repr.js';

/**
 * `torch.nn.utils.prune`'s base class and its container for iterative pruning. A pruning method is the forward
 * pre-hook itself, as in PyTorch: an instance is callable (`method(module, inputs)` recomputes `module[name]` as
 * `name_mask * name_orig`), and `module._forwardPreHooks` holds it, so `instanceof BasePruningMethod` finds it there.
 * Subclasses set `static PRUNING_TYPE` ('unstructured', 'structured' with a `dim` field, or 'global') and
 * implement `computeMask(t, defaultMask)`.
 */
export type PruningType = 'unstructured' | 'structured' | 'global';

type Attributes = Record<string, unknown>;
const attributes = (module: Module): Attributes => module as unknown as Attributes;

/** Python's `getattr(module, name)`: an AttributeError's message for a name the module lacks. */
export function moduleAttribute(module: Module, name: string): unknown {
  const value = attributes(module)[name];
  if (value === undefined) throw new Error(`'${module._getName()}' object has no attribute '${name}'`);
  return value;
}

/**
 * @internal The classes this module defines carry this static key of their own, and print as
 * `torch.nn.utils.prune.X`; a user's subclass (which only inherits it) prints as `__main__.X`.
 */
export const BUILTIN: unique symbol = Symbol('torch.nn.utils.prune');
const pyModuleOf = (cls: object): string => (Object.hasOwn(cls, BUILTIN) ? 'torch.nn.utils.prune' : '__main__');
/** Python's `<class 'torch.nn.utils.prune.L1Unstructured'>`. */
export const pyClassRepr = (cls: { name: string }): string => `<class '${pyModuleOf(cls)}.${cls.name}'>`;

/** Stand-ins for CPython's `id()`, so each method prints an address of its own as Python's default repr does. */
let nextAddress = 0x7f3a2c000000;

/** The constructor of a concrete pruning method, as `apply` and `globalUnstructured` take it. */
export type PruningMethodClass = (abstract new (...args: never) => BasePruningMethod) & { readonly PRUNING_TYPE?: PruningType };

/** What calling a pruning method does, as the forward pre-hook it is. */
// The merge gives every pruning method a call signature, as PyTorch's `__call__`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface BasePruningMethod {
  (module: Module, inputs?: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export abstract class BasePruningMethod {
  /** PyTorch's class attribute; `method.PRUNING_TYPE` reads it from the method's class. */
  declare static readonly PRUNING_TYPE?: PruningType;
  /** @internal */
  static readonly [BUILTIN] = true;
  /** The name of the tensor the method prunes, set by `apply` (PyTorch's `_tensor_name`). */
  declare _tensorName: string;
  /** @internal */
  declare readonly _address: number;

  constructor() {
    const self = function pruningHook(module: Module): void {
      // Kept, as modules keep what they store: `module[name]` outlives the scope of the forward that computed it.
      attributes(module)[self._tensorName] = keep(self.applyMask(module));
    } as unknown as BasePruningMethod;
    // A function's own `name` and `length` are read-only: drop them so that subclasses (and `length`) may use them.
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, '_address', { value: (nextAddress += 0x60), enumerable: false });
    return self;
  }

  get PRUNING_TYPE(): PruningType {
    const type = (this.constructor as typeof BasePruningMethod).PRUNING_TYPE;
    if (type === undefined) throw new Error(`'${this.constructor.name}' object has no attribute 'PRUNING_TYPE'`);
    return type;
  }

  /** The mask for `t` (the importance scores) on top of `defaultMask`, the mask of earlier prunings. */
  abstract computeMask(t: Tensor, defaultMask: Tensor): Tensor;

  /** `module[name + '_mask'] * module[name + '_orig']`, the pruned tensor. */
  applyMask(module: Module): Tensor {
    if (this._tensorName === undefined || this._tensorName === null) throw new Error(`Module ${String(module)} has to be pruned`);
    const mask = moduleAttribute(module, `${this._tensorName}_mask`) as Tensor;
    const orig = moduleAttribute(module, `${this._tensorName}_orig`) as Tensor;
    return mask.to(orig.dtype).mul(orig);
  }

  /**
   * Prunes `module[name]` with a new method of this class (`new this(...args)`), combining it with an earlier
   * pruning of the same tensor in a PruningContainer. A trailing options object may give `importanceScores` (the
   * tensor the mask is computed from, the parameter itself by default); its other keys go to the constructor.
   */
  static apply(module: Module, name: string, ...args: unknown[]): BasePruningMethod {
    let ctorArgs = args;
    let importanceScores: Tensor | null = null;
    const last = args[args.length - 1];
    if (isOptionsObject(last) && 'importanceScores' in last) {
      const { importanceScores: scores, ...rest } = last as { importanceScores?: Tensor | null };
      importanceScores = scores ?? null;
      ctorArgs = [...args.slice(0, -1), ...(Object.keys(rest).length > 0 ? [rest] : [])];
    }
    return applyPruning(this as unknown as new (...a: unknown[]) => BasePruningMethod, module, name, ctorArgs, importanceScores);
  }

  /** `t` times the mask computed from `importanceScores` (`t` itself by default) on top of `defaultMask` (ones). */
  prune(t: Tensor, ...rest: [defaultMask?: Tensor | null, importanceScores?: Tensor | null] | [options: PruneOptions]): Tensor {
    const o = bindArgs<PruneOptions>({ fn: 'prune', required: 0, positional: ['defaultMask', 'importanceScores'] }, rest);
    let scores = o.importanceScores ?? null;
    if (scores !== null) {
      if (scores.shape.join() !== t.shape.join()) throw new Error('importance_scores should have the same shape as tensor t');
    } else scores = t;
    return t.mul(this.computeMask(scores, o.defaultMask ?? onesLike(t)));
  }

  /** Makes the pruning permanent: `name` becomes a parameter again holding `mask * orig`; `_orig` and `_mask` go. */
  remove(module: Module): void {
    if (this._tensorName === undefined || this._tensorName === null) {
      throw new Error(`Module ${String(module)} has to be pruned            before pruning can be removed`);
    }
    const name = this._tensorName;
    const weight = this.applyMask(module);
    const own = attributes(module);
    delete own[name];
    const orig = own[`${name}_orig`];
    if (!(orig instanceof Parameter)) throw new Error(`'${name}_orig'`); // Python's KeyError
    moveTensorData(orig, keep(weight.detach())); // `orig.data = weight.data`: the same Parameter object
    delete own[`${name}_orig`];
    delete own[`${name}_mask`];
    module._bufferSpecs.delete(`${name}_mask`);
    module.registerParameter(name, orig);
  }

  /** Python's default repr, `<torch.nn.utils.prune.RandomUnstructured object at 0x...>`. */
  toString(): string {
    return `<${pyModuleOf(this.constructor)}.${this.constructor.name} object at 0x${this._address.toString(16)}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export interface PruneOptions {
  defaultMask?: Tensor | null;
  importanceScores?: Tensor | null;
}

/** Iterative pruning: the methods applied to one tensor, in order; a new one acts on what is not pruned yet. */
export class PruningContainer extends BasePruningMethod {
  /** @internal */
  static override readonly [BUILTIN] = true;
  /** @internal */
  declare _pruningMethods: BasePruningMethod[];

  constructor(...methods: BasePruningMethod[]) {
    super();
    this._pruningMethods = [];
    if (methods.length === 1) {
      this._tensorName = methods[0]._tensorName;
      this.addPruningMethod(methods[0]);
    } else for (const method of methods) this.addPruningMethod(method);
  }

  /** Adds a method acting on the same tensor. */
  addPruningMethod(method: BasePruningMethod | null): void {
    if (!(method instanceof BasePruningMethod) && method !== null && method !== undefined) {
      throw new TypeError(`<class '${pyTypeName(method)}'> is not a BasePruningMethod subclass`);
    }
    if (method && this._tensorName === undefined) throw new Error(`'PruningContainer' object has no attribute '_tensor_name'`);
    if (method && this._tensorName !== method._tensorName) {
      throw new RangeError(
        `Can only add pruning methods acting on the parameter named '${this._tensorName}' to PruningContainer ${String(this)}. ` +
          `Found '${method._tensorName}'`,
      );
    }
    this._pruningMethods = [...this._pruningMethods, method as BasePruningMethod];
  }

  /** The number of methods, as Python's `len(container)`. */
  override get length(): number {
    return this._pruningMethods.length;
  }

  /** The method at `index` (negative from the end), as `container[index]`. */
  at(index: number): BasePruningMethod | undefined {
    return this._pruningMethods.at(index);
  }

  [Symbol.iterator](): Iterator<BasePruningMethod> {
    return this._pruningMethods[Symbol.iterator]();
  }

  /**
   * The latest method's mask computed on the part of `t` not pruned yet, as PyTorch's `_combine_masks`: the
   * entries still 1 for unstructured methods, the channels not all zero for structured ones, everything for global.
   */
  override computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const method = this._pruningMethods[this._pruningMethods.length - 1];
    const newMask = defaultMask.to(t.dtype);
    const type = method.PRUNING_TYPE;
    let slc: (IndexSpec | Tensor)[];
    if (type === 'unstructured') {
      slc = [defaultMask.eq(1)];
    } else if (type === 'structured') {
      if (!('dim' in method)) throw new Error('Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` defined.');
      const nDims = t.ndim;
      let dim = method.dim as number;
      if (dim < 0) dim = nDims + dim;
      if (dim < 0) throw new RangeError(`Index is out of bounds for tensor with dimensions ${nDims}`);
      const keepChannel = defaultMask.sum(t.shape.map((_, d) => d).filter((d) => d !== dim)).ne(0);
      slc = t.shape.map((): IndexSpec | Tensor => ':');
      slc[dim] = keepChannel;
    } else if (type === 'global') {
      slc = t.shape.map((): IndexSpec | Tensor => ':');
    } else {
      throw new RangeError(`Unrecognized PRUNING_TYPE ${String(type)}`);
    }
    const partial = method.computeMask(t.index(...slc), defaultMask.index(...slc));
    newMask.indexPut_(slc, partial.to(newMask.dtype));
    return newMask;
  }
}

/**
 * PyTorch's `_get_composite_method`: the module's pruning hook for `name` taken off its forward pre-hooks, and the
 * new method alone or added to (a container of) it.
 */
function compositeMethod(cls: new (...a: unknown[]) => BasePruningMethod, module: Module, name: string, args: unknown[]): BasePruningMethod {
  let old: BasePruningMethod | null = null;
  const toRemove: number[] = [];
  for (const [k, hook] of module._forwardPreHooks) {
    if (hook instanceof BasePruningMethod && hook._tensorName === name) {
      old = hook;
      toRemove.push(k);
    }
  }
  if (toRemove.length > 1) {
    throw new Error(
      `Avoid adding multiple pruning hooks to the                same tensor ${name} of module ${String(module)}. Use a PruningContainer.`,
    );
  }
  for (const k of toRemove) module._forwardPreHooks.delete(k);
  let method = new cls(...args);
  method._tensorName = name;
  if (old instanceof PruningContainer) {
    old.addPruningMethod(method);
    method = old;
  } else if (old !== null) {
    const container = new PruningContainer(old);
    container.addPruningMethod(method);
    method = container;
  }
  return method;
}

/** `BasePruningMethod.apply`: reparametrizes `module[name]` as `name_orig` and `name_mask` with a pre-hook. */
function applyPruning(
  cls: new (...a: unknown[]) => BasePruningMethod,
  module: Module,
  name: string,
  args: unknown[],
  importanceScores: Tensor | null,
): BasePruningMethod {
  const method = compositeMethod(cls, module, name, args);
  const own = attributes(module);
  const orig = moduleAttribute(module, name);
  let scores = importanceScores;
  if (scores !== null) {
    if (!(orig instanceof Tensor) || scores.shape.join() !== orig.shape.join()) {
      throw new Error(`importance_scores should have the same shape as parameter                 ${name} of ${String(module)}`);
    }
  } else scores = orig as Tensor;
  let defaultMask: Tensor;
  if (!(method instanceof PruningContainer)) {
    if (orig instanceof Tensor && !(orig instanceof Parameter)) {
      throw new TypeError(`cannot assign '${orig.type()}' object to parameter '${name}_orig' (torch.nn.Parameter or None required)`);
    }
    module.registerParameter(`${name}_orig`, orig as Parameter);
    delete own[name];
    // A null slot (`bias=False`) gets this far in PyTorch too, and fails here without a rollback.
    if (orig === null) throw new TypeError("ones_like(): argument 'input' (position 1) must be Tensor, not NoneType");
    defaultMask = onesLike(orig as Tensor);
  } else {
    defaultMask = (moduleAttribute(module, `${name}_mask`) as Tensor).detach().clone();
  }
  try {
    const mask = method.computeMask(scores, defaultMask);
    module.registerBuffer(`${name}_mask`, mask);
    own[name] = keep(method.applyMask(module));
    module.registerForwardPreHook(method);
  } catch (e) {
    if (!(method instanceof PruningContainer)) {
      // PyTorch's rollback registers the parameter again, now last among the module's parameters.
      const restored = own[`${name}_orig`] as Parameter;
      delete own[`${name}_orig`];
      module.registerParameter(name, restored);
    }
    throw e;
  }
  return method;
}
