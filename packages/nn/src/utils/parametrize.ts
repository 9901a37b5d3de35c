import { noGrad, Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { ModuleDict } from '../modules/module-dict.js';
import { Parameter } from '../parameter.js';
import { pySize, pyTypeName } from '../python-repr.js';
import { isNotImplemented, ParametrizationList, pyDType, registerParameterOrBuffer, setTensor_ } from './parametrization-list.js';

/**
 * `torch.nn.utils.parametrize`: a parameter or buffer recast as a function of unconstrained tensors. The module's
 * class becomes a `Parametrized<Name>` subclass whose `name` property computes the tensor from
 * `module.parametrizations.get(name)` (a ParametrizationList holding `original`) on every read, and assigning it
 * runs the parametrizations' `rightInverse`.
 */
export { ParametrizationList };

export interface RegisterParametrizationOptions {
  /** Skip the checks that the parametrization keeps the tensor's shape and dtype. Default false. */
  unsafe?: boolean;
}

export interface RemoveParametrizationsOptions {
  /** Keep the current (parametrized) value as the plain tensor; false restores `original`. Default true. */
  leaveParametrized?: boolean;
}

/** A module with parametrizations: `parametrizations` maps each parametrized tensor's name to its list. */
export type Parametrized<M extends Module = Module> = M & { parametrizations: ModuleDict };

type Constructor = abstract new (...args: never[]) => Module;

const attributes = (module: Module): Record<string, unknown> => module as unknown as Record<string, unknown>;

/** The classes injected by this file, so that only those are taken off again. */
const injected = new WeakSet<object>();

/** What `using` disposes: `Symbol.dispose`, or the registered symbol TypeScript's `using` falls back to. */
const DISPOSE: typeof Symbol.dispose = Symbol.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

/** A scope `using` closes: `cached()` without a callback. */
export interface CacheScope {
  [Symbol.dispose](): void;
}

let cacheEnabled = 0;
let cache = new Map<Module, Map<string, Tensor>>();

function enterCache(): void {
  cacheEnabled += 1;
}

function exitCache(): void {
  cacheEnabled -= 1;
  if (!cacheEnabled) cache = new Map();
}

/**
 * `torch.nn.utils.parametrize.cached()`: while inside, each parametrized tensor is computed once, on its first
 * read, and that tensor is returned after. `cached(() => ...)` runs the callback inside and returns its result;
 * `using _ = cached()` (or calling `[Symbol.dispose]()`) stands for `with parametrize.cached():`.
 */
export function cached(): CacheScope;
export function cached<T>(fn: () => T): T;
export function cached<T>(fn?: () => T): T | CacheScope {
  enterCache();
  if (fn === undefined) {
    let open = true;
    return {
      [DISPOSE]() {
        if (open) exitCache();
        open = false;
      },
    } as CacheScope;
  }
  try {
    return fn();
  } finally {
    exitCache();
  }
}

function parametrizationsOf(module: Module): ModuleDict | null {
  const value = attributes(module).parametrizations;
  return value instanceof ModuleDict ? value : null;
}

/** `is_parametrized(module, tensor_name=None)`: whether `tensorName` (any tensor, when omitted) is parametrized. */
export function isParametrized(module: Module, tensorName?: string | null): boolean {
  const parametrizations = parametrizationsOf(module);
  if (parametrizations === null) return false;
  return tensorName === undefined || tensorName === null ? parametrizations.length > 0 : parametrizations.has(tensorName);
}

/** `type_before_parametrizations(module)`: the module's class before `Parametrized<Name>` was put in its place. */
export function typeBeforeParametrizations(module: Module): Constructor {
  const cls = (Object.getPrototypeOf(module) as { constructor: Constructor }).constructor;
  if (!isParametrized(module) || !injected.has(cls)) return cls;
  return (Object.getPrototypeOf(cls.prototype) as { constructor: Constructor }).constructor;
}

/** `_inject_new_class`: a subclass of the module's own class, named `Parametrized<Name>`, for this module alone. */
function injectNewClass(module: Module): void {
  const cls = (Object.getPrototypeOf(module) as { constructor: Constructor }).constructor;
  const paramCls = class extends cls {};
  Object.defineProperty(paramCls, 'name', { value: `Parametrized${cls.name}` });
  injected.add(paramCls);
  Object.setPrototypeOf(module, paramCls.prototype);
}

/** `_inject_property`: reading the tensor runs its ParametrizationList (once per `cached()`), writing it inverts. */
function injectProperty(module: Module, tensorName: string): void {
  const get = function (this: Module): Tensor {
    const parametrization = (parametrizationsOf(this) as ModuleDict).get(tensorName) as unknown as () => Tensor;
    if (!cacheEnabled) return parametrization();
    let own = cache.get(this);
    if (!own) cache.set(this, (own = new Map()));
    let tensor = own.get(tensorName);
    if (tensor === undefined) own.set(tensorName, (tensor = parametrization()));
    return tensor;
  };
  const set = function (this: Module, value: Tensor): void {
    // PyTorch's Module.__setattr__ registers a Parameter, and the name is taken by the property.
    if (value instanceof Parameter) throw new Error(`attribute '${tensorName}' already exists`);
    ((parametrizationsOf(this) as ModuleDict).get(tensorName) as ParametrizationList).rightInverse(value);
  };
  Object.defineProperty(Object.getPrototypeOf(module), tensorName, { get, set, enumerable: false, configurable: true });
}

/** Removes the module's own parameter or buffer `name` (its slot, and a buffer's registration). */
function deleteTensor(module: Module, name: string): void {
  delete attributes(module)[name];
  module._bufferSpecs.delete(name);
}

/** The checks PyTorch makes before stacking a parametrization on an already parametrized tensor. */
function checkStacked(module: Module, tensorName: string, parametrization: Module): void {
  const y = attributes(module)[tensorName] as Tensor;
  const x = (parametrization as unknown as (t: Tensor) => unknown)(y);
  if (!(x instanceof Tensor)) throw new Error(`A parametrization must return a tensor. Got ${pyTypeName(x)}.`);
  if (x.dtype !== y.dtype) {
    throw new Error(
      'Registering a parametrization may not change the dtype of the tensor, unless the `unsafe` flag is enabled.\n' +
        `module.${tensorName}.dtype: ${pyDType(y)}\nparametrization(module.${tensorName}).dtype: ${pyDType(x)}`,
    );
  }
  if (x.shape.join() !== y.shape.join()) {
    throw new Error(
      'Registering a parametrization may not change the shape of the tensor, unless the `unsafe` flag is enabled.\n' +
        `module.${tensorName}.shape: ${pySize(y.shape)}\nparametrization(module.${tensorName}).shape: ${pySize(x.shape)}`,
    );
  }
  const inverse = (parametrization as Module & { rightInverse?: (t: Tensor) => unknown }).rightInverse;
  if (typeof inverse !== 'function') return;
  let z: unknown;
  try {
    z = inverse.call(parametrization, x);
  } catch (error) {
    if (isNotImplemented(error)) return;
    throw error;
  }
  if (!(z instanceof Tensor)) throw new Error(`parametrization.right_inverse must return a tensor. Got: ${pyTypeName(z)}`);
  if (z.dtype !== y.dtype) {
    throw new Error(
      `The tensor returned by parametrization.right_inverse must have the same dtype as module.${tensorName}, unless the \`unsafe\` flag is enabled.\n` +
        `module.${tensorName}.dtype: ${pyDType(y)}\nreturned dtype: ${pyDType(z)}`,
    );
  }
  if (z.shape.join() !== y.shape.join()) {
    throw new Error(
      `The tensor returned by parametrization.right_inverse must have the same shape as module.${tensorName}, unless the \`unsafe\` flag is enabled.\n` +
        `module.${tensorName}.shape: ${pySize(y.shape)}\nreturned shape: ${pySize(z.shape)}`,
    );
  }
}

/**
 * `register_parametrization(module, tensor_name, parametrization, *, unsafe=False)`: `module[tensorName]` becomes
 * `parametrization(original)`; a second registration on the same tensor is applied after the first.
 */
export function registerParametrization<M extends Module>(
  module: M,
  tensorName: string,
  parametrization: Module,
  options: RegisterParametrizationOptions = {},
): Parametrized<M> {
  const unsafe = options.unsafe ?? false;
  parametrization.train(module.training);
  if (isParametrized(module, tensorName)) {
    if (!unsafe) checkStacked(module, tensorName, parametrization);
    const list = (parametrizationsOf(module) as ModuleDict).get(tensorName) as ParametrizationList;
    list.append(parametrization);
    list.unsafe ||= unsafe;
  } else if (tensorName in module._buffers || tensorName in module._parameters) {
    const original = attributes(module)[tensorName] as Tensor;
    const list = new ParametrizationList([parametrization], original, unsafe);
    deleteTensor(module, tensorName);
    if (!isParametrized(module)) {
      injectNewClass(module);
      attributes(module).parametrizations = new ModuleDict();
    }
    injectProperty(module, tensorName);
    (parametrizationsOf(module) as ModuleDict).set(tensorName, list);
  } else {
    throw new Error(`Module '${String(module)}' does not have a parameter, a buffer, or a parametrized element with name '${tensorName}'`);
  }
  return module as Parametrized<M>;
}

/**
 * `remove_parametrizations(module, tensor_name, leave_parametrized=True)`: the tensor becomes a plain parameter (or
 * buffer) again, holding its current value, or its `original` with `leaveParametrized: false`. The last one
 * removed gives the module back its own class.
 */
export function removeParametrizations<M extends Module>(module: M, tensorName: string, options: RemoveParametrizationsOptions = {}): M {
  const leaveParametrized = options.leaveParametrized ?? true;
  if (!isParametrized(module, tensorName)) throw new Error(`Module ${String(module)} does not have a parametrization on ${tensorName}`);
  const parametrizations = parametrizationsOf(module) as ModuleDict;
  const list = parametrizations.get(tensorName) as ParametrizationList;
  let original: Tensor;
  if (list.isTensor) {
    original = list.original;
    if (leaveParametrized) {
      const t = noGrad(() => attributes(module)[tensorName] as Tensor);
      noGrad(() => setTensor_(original, t));
    }
  } else {
    if (!leaveParametrized) {
      throw new Error('Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.');
    }
    const t = attributes(module)[tensorName] as Tensor;
    original = t.requiresGrad ? new Parameter(t) : t;
  }
  const proto = Object.getPrototypeOf(module) as object;
  delete (proto as Record<string, unknown>)[tensorName];
  parametrizations.delete(tensorName);
  registerParameterOrBuffer(module, tensorName, original);
  if (!isParametrized(module)) {
    delete attributes(module).parametrizations;
    Object.setPrototypeOf(module, Object.getPrototypeOf(proto) as object);
  }
  return module;
}

/**
 * `transfer_parametrizations_and_params(from_module, to_module, tensor_name=None)`: registers `fromModule`'s
 * parametrizations (the same modules) of `tensorName` (all, when omitted) on `toModule`, whose originals then are
 * `fromModule`'s (the same tensors). A tensor `toModule` lacks is first added as a Parameter of the current value.
 */
export function transferParametrizationsAndParams<M extends Module>(fromModule: Module, toModule: M, tensorName?: string | null): M {
  const from = parametrizationsOf(fromModule);
  if (from === null || !isParametrized(fromModule)) return toModule;
  const names = tensorName === undefined || tensorName === null ? from.keys() : [tensorName];
  for (const name of names) {
    if (!(name in toModule)) toModule.registerParameter(name, new Parameter(attributes(fromModule)[name] as Tensor));
    const fromList = from.get(name) as ParametrizationList;
    for (const parametrization of fromList) registerParametrization(toModule, name, parametrization);
    const toList = (parametrizationsOf(toModule) as ModuleDict).get(name) as ParametrizationList;
    const originalNames = fromList.isTensor ? ['original'] : Array.from({ length: fromList.ntensors }, (_, i) => `original${i}`);
    for (const originalName of originalNames) attributes(toList)[originalName] = attributes(fromList)[originalName];
  }
  return toModule;
}
