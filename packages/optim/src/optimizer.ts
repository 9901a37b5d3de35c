import { Tensor, enableGrad, isTensor, keep, noGrad } from '@descent/tensor';
import { warn } from './log.js';
import {
  fromPyTorchStateDict,
  isPyTorchOptimizerStateDict,
  markOptimizerStateDict,
  type PyTorchOptimizerStateDict,
} from './pytorch-state-dict.js';
import { copyValue, formatPythonValue } from './values.js';
import { OptimizerState } from './optimizer-state.js';

/** A value an optimizer keeps per parameter: a state tensor, a step count, or `null` (an absent buffer). */
export type StateValue = Tensor | number | boolean | null;

/** A parameter group: the tensors it updates plus its hyperparameters (`lr`, `momentum`, ...). */
export type ParamGroup<H extends object = Record<string, unknown>> = H & {
  params: Tensor[];
  /** Set by the LR schedulers: the lr the schedule started from (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** A group as the constructor and `addParamGroup` take it: hyperparameters left out come from the defaults. */
export type ParamGroupInput<H extends object = Record<string, unknown>> = Partial<H> & {
  params: Tensor | Iterable<Tensor>;
  initialLr?: number;
};

/** What an optimizer is built from: the tensors to optimize, or parameter groups. */
export type ParamsInput<H extends object = Record<string, unknown>> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

/**
 * `optimizer.stateDict()`: per-parameter state keyed by the parameter's position across the groups, and the groups
 * with their parameters replaced by those positions, as PyTorch's `state_dict()`.
 */
export interface OptimizerStateDict<H extends object = Record<string, unknown>, S extends object = Record<string, StateValue>> {
  state: Record<number, S>;
  paramGroups: Array<H & { params: number[]; initialLr?: number }>;
}

export interface ZeroGradOptions {
  /** Set the gradients to `null` instead of zeroing them (PyTorch 1.13's default: `false`). */
  setToNone?: boolean;
}

/**
 * Base class of all optimizers, as `torch.optim.Optimizer`. Subclasses implement `stepGroup` (one update of one
 * parameter group, run under `noGrad`) or override `step` itself.
 *
 * `defaults` holds each hyperparameter's default; a key whose value is `undefined` is required (SGD's `lr`): every
 * group must then give it.
 *
 * What an optimizer stores is kept (as `torch.keep`): its parameters and every tensor in `state`, including state
 * created by `step()` or `loadStateDict()`, so `torch.scope(() => { ...one training step... })` never disposes it.
 */
export class Optimizer<H extends object = object, S extends object = object> {
  readonly defaults: Readonly<Partial<H>>;
  private _state = new OptimizerState<S>();
  paramGroups: ParamGroup<H>[] = [];

  /** Per-parameter state, keyed by the parameter tensor itself. Its tensors are kept: scopes never dispose them. */
  get state(): Map<Tensor, S> {
    return this._state;
  }

  /** Replaces the state; a plain Map is copied into one that keeps its tensors. */
  set state(value: Map<Tensor, S>) {
    this._state = value instanceof OptimizerState ? value : new OptimizerState(value);
  }

  constructor(params: ParamsInput<NoInfer<H>>, defaults: Partial<H>) {
    this.defaults = defaults;
    if (isTensor(params)) {
      throw new TypeError(
        'params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor. ' +
          'Pass [tensor] instead.',
      );
    }
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${describe(params)}`,
      );
    }
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput<H>>);
    if (list.length === 0) throw new RangeError('optimizer got an empty parameter list');
    const groups = isTensor(list[0]) ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<H>] : (list as ParamGroupInput<H>[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /** Adds a group of parameters (e.g. layers unfrozen during fine-tuning), filling in default hyperparameters. */
  addParamGroup(paramGroup: ParamGroupInput<H>): void {
    if (paramGroup === null || typeof paramGroup !== 'object' || isTensor(paramGroup) || !('params' in paramGroup)) {
      throw new TypeError(`param group must be an object with a 'params' entry, got ${describe(paramGroup)}`);
    }
    const { params: given, ...hyperparameters } = paramGroup;
    if (given instanceof Set) {
      throw new TypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets ' +
          'will change between runs. Please use a list instead.',
      );
    }
    const params = isTensor(given) ? [given] : Array.from(given as Iterable<Tensor>);
    for (const param of params) {
      if (!isTensor(param)) {
        throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(param)}`);
      }
      if (!(param.isLeaf || param.retainsGrad)) throw new Error("can't optimize a non-leaf Tensor");
    }
    const group = { ...hyperparameters } as Record<string, unknown>;
    for (const [name, value] of Object.entries(this.defaults)) {
      if (group[name] !== undefined) continue;
      if (value === undefined) {
        throw new Error(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      group[name] = copyValue(value);
    }
    if (new Set(params).size !== params.length) {
      warn(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; ' +
          'see github.com/pytorch/pytorch/issues/40967 for more information',
      );
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) throw new Error('some parameters appear in more than one parameter group');
    group.params = keep(params);
    this.paramGroups.push(group as ParamGroup<H>);
  }

  /** Zeroes every parameter's `.grad` (or sets it to `null` with `setToNone: true`). */
  zeroGrad(options: ZeroGradOptions = {}): void {
    const setToNone = options.setToNone ?? false;
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        if (param.grad === null) continue;
        if (setToNone) {
          param.grad = null;
          continue;
        }
        // A gradient built with create_graph has history; cut it (PyTorch's detach_) before zeroing in place.
        if (param.grad.gradFn !== null) param.grad = param.grad.detach();
        else param.grad.requiresGrad_(false);
        param.grad.zero_();
      }
    }
  }

  /**
   * One optimization step. `closure`, if given, re-evaluates the model (zeroGrad, forward, backward) and returns the
   * loss; it runs with gradients enabled and its result is returned, else `null`.
   */
  step<L = Tensor>(closure?: () => L): L | null {
    const loss = closure === undefined ? null : enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) this.stepGroup(group);
    });
    this._state.keepAll();
    return loss;
  }

  /** Updates the parameters of one group in place; called by `step` with gradients disabled. */
  protected stepGroup(_group: ParamGroup<H>): void {
    throw new Error(`${this.constructor.name}.step() is not implemented: override step() or stepGroup() in your optimizer`);
  }

  /** The state of this optimizer, with deep copies of its tensors, in PyTorch's `state_dict()` layout. */
  stateDict(): OptimizerStateDict<H, S> {
    const index = new Map<Tensor, number>();
    let start = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group)) if (key !== 'params') packed[key] = copyValue(value);
      packed.params = group.params.map((p, i) => {
        const known = index.get(p);
        if (known !== undefined) return known;
        index.set(p, start + i);
        return start + i;
      });
      start += group.params.length;
      return packed as H & { params: number[] };
    });
    const state: Record<number, S> = {};
    for (const [param, paramState] of this.state) {
      const i = index.get(param);
      if (i !== undefined) state[i] = copyState(paramState as Record<string, unknown>) as S;
    }
    return markOptimizerStateDict({ state, paramGroups });
  }

  /**
   * Restores a `stateDict()` (deep-copied, so the dict stays usable): state is matched to this optimizer's parameters
   * by position, and state tensors are cast to each parameter's dtype and device (except `step`). A state dict
   * written by Python's `optimizer.state_dict()` (`param_groups`, `momentum_buffer`...) loads too, e.g.
   * `optimizer.loadStateDict((await torch.load('checkpoint.pt')).optimizer_state_dict)`.
   */
  loadStateDict(given: OptimizerStateDict<H, S> | PyTorchOptimizerStateDict): void {
    const stateDict = (isPyTorchOptimizerStateDict(given) ? fromPyTorchStateDict(given) : given) as OptimizerStateDict<H, S>;
    const saved = stateDict?.paramGroups;
    if (!Array.isArray(saved) || typeof stateDict.state !== 'object' || stateDict.state === null) {
      throw new TypeError('loadStateDict() expects an object like optimizer.stateDict(): {state, paramGroups}, or the {state, param_groups} of a PyTorch checkpoint');
    }
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError('loaded state dict has a different number of parameter groups');
    }
    saved.forEach((group, i) => {
      if (!Array.isArray(group.params) || group.params.length !== this.paramGroups[i].params.length) {
        throw new RangeError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    const byIndex = new Map<number, Tensor>();
    saved.forEach((group, g) => group.params.forEach((id, i) => byIndex.set(id, this.paramGroups[g].params[i])));

    const state = new OptimizerState<S>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const param = byIndex.get(Number(key));
      if (param !== undefined) state.set(param, this.restoreState(castState(param, value as Record<string, unknown>)));
    }
    this.paramGroups = saved.map((group, g) => {
      const restored: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group)) if (key !== 'params') restored[key] = copyValue(value);
      // Hyperparameters that an older state dict lacks take their defaults, as PyTorch's __setstate__.
      for (const [key, value] of Object.entries(this.defaults)) {
        if (restored[key] === undefined && value !== undefined) restored[key] = copyValue(value);
      }
      restored.params = this.paramGroups[g].params;
      return restored as ParamGroup<H>;
    });
    this.state = state;
  }

  /** Hook for subclasses to upgrade a loaded parameter state (e.g. a numeric `step` into a tensor). */
  protected restoreState(state: Record<string, unknown>): S {
    return state as S;
  }

  /**
   * PyTorch 1.13's implementation flags (`differentiable`, `foreach`, `capturable`, `fused`) that its groups hold and
   * `print(optimizer)` shows, at the values Descent's update matches; each built-in optimizer names its own.
   */
  static readonly pythonFlags: Readonly<Record<string, boolean | null>> = {};

  /** The optimizer as PyTorch prints it: its class and each group's hyperparameters under their Python names, sorted. */
  toString(): string {
    let text = `${this.constructor.name} (`;
    const pythonName = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const flags = (this.constructor as typeof Optimizer).pythonFlags;
    this.paramGroups.forEach((group, i) => {
      text += `\nParameter Group ${i}\n`;
      const entries = Object.entries({ ...flags, ...(group as Record<string, unknown>) }).filter(([key]) => key !== 'params');
      const named = entries.map(([key, value]) => [pythonName(key), value] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [name, value] of named) text += `    ${name}: ${formatPythonValue(value)}\n`;
    });
    return `${text})`;
  }

  /** `console.log(optimizer)` prints what `print(optimizer)` prints in PyTorch, not the internal state map. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function copyState(state: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) copy[key] = copyValue(value);
  return copy;
}

/** A deep copy of one parameter's saved state, with tensors moved to the parameter's device and float dtype. */
function castState(param: Tensor, state: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) copy[key] = key === 'step' ? copyValue(value) : castValue(param, value);
  return copy;
}

// Lists of tensors too (LBFGS's history), as PyTorch's load_state_dict casts inside containers.
function castValue(param: Tensor, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => castValue(param, v));
  if (!isTensor(value)) return copyValue(value);
  let cast = param.isFloatingPoint() && value.dtype !== param.dtype ? value.to(param.dtype) : value;
  if (cast.device !== param.device) cast = cast.to(param.device);
  return copyValue(cast);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (isTensor(value)) return 'a Tensor';
  if (Array.isArray(value)) return 'an Array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
