import { device as resolveDevice, keep, noGrad, Tensor, type DeviceLike, type DType } from '@descent/tensor';
import { castOwnState, isDTypeName, moveOwnState } from './module-placement.js';
import { Parameter } from './parameter.js';
import { pyTypeName } from './python-repr.js';
import { loadStateDict, type IncompatibleKeys, type LoadContext, type StateDict, type StateDictLike } from './state-dict.js';
import { moduleRepr } from './module-repr.js';
import { callModule, installModuleHooks } from './module-hooks.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export interface StateDictOptions {
  /** Prepended to every key. */
  prefix?: string;
  /** Return the parameters themselves instead of detached tensors sharing their storage. */
  keepVars?: boolean;
}

export interface LoadStateDictOptions {
  /** Throw on missing or unexpected keys (size mismatches always throw). Default true. */
  strict?: boolean;
}

export interface ZeroGradOptions {
  /** Set each `.grad` to null instead of zeroing it (PyTorch 1.13's default is false). */
  setToNone?: boolean;
}

export interface RegisterBufferOptions {
  /** Non-persistent buffers are left out of `stateDict()`. Default true. */
  persistent?: boolean;
}

/** A module can be called like a function: `model(x)` runs `model.forward(x)`, as PyTorch's `__call__`. */
// The merge is the point: it gives every Module (and subclass) a call signature typed by its own forward.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  (...inputs: Parameters<this['forward']>): ReturnType<this['forward']>;
}

/**
 * The base class of every layer and model, as `torch.nn.Module`. Subclasses assign Parameters and submodules to
 * fields; they are found by walking the module's own enumerable properties in insertion order, so nothing needs
 * registering by hand. Buffers (tensors that are state but not learned) are registered with `registerBuffer`.
 * Parameters and buffers are kept (as `torch.keep`): an enclosing `torch.scope()` never disposes them.
 *
 * A module is a function object (so `model(x)` works) whose prototype is the subclass's prototype.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  declare training: boolean;
  /** @internal Registered buffer names, in registration order, mapped to whether they are persistent. */
  declare readonly _bufferSpecs: Map<string, boolean>;

  constructor() {
    const self = ((...inputs: unknown[]) => callModule(self, inputs)) as unknown as Module;
    // A function's own `name` and `length` are read-only: drop them so subclasses may use those names.
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperties(self, {
      training: { value: true, writable: true, enumerable: false, configurable: true },
      _bufferSpecs: { value: new Map<string, boolean>(), writable: false, enumerable: false, configurable: true },
    });
    return self;
  }

  /** The computation performed at every call. Subclasses override it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subclass narrows its own signature
  forward(..._inputs: any[]): any {
    throw new Error(`Module [${this._getName()}] is missing the required "forward" function`);
  }

  // ---- attribute discovery ----------------------------------------------------------------------------------

  /** @internal This module's attributes, `[name, value]` in insertion order (containers may override). */
  _namedAttributes(): [string, unknown][] {
    return Object.entries(this);
  }

  /** @internal Own parameters in order, without recursion (null slots such as `bias: null` are skipped). */
  _ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [name, value] of this._namedAttributes()) {
      if (value instanceof Parameter && !this._bufferSpecs.has(name)) out.push([name, value]);
    }
    return out;
  }

  /** @internal Own buffers in registration order, with whether each is persistent. */
  _ownBuffers(): [string, Tensor, boolean][] {
    const out: [string, Tensor, boolean][] = [];
    for (const [name, persistent] of this._bufferSpecs) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (value instanceof Tensor) out.push([name, value, persistent]);
    }
    return out;
  }

  /** @internal Direct submodules in order, shared ones repeated, as PyTorch's `_modules.items()`. */
  _ownModules(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [name, value] of this._namedAttributes()) if (value instanceof Module) out.push([name, value]);
    return out;
  }

  // ---- registration -----------------------------------------------------------------------------------------

  private checkName(kind: 'parameter' | 'buffer' | 'module', name: string, allowed: (value: unknown) => boolean): void {
    if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${pyTypeName(name)}`);
    if (name.includes('.')) {
      throw new Error(kind === 'module' ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
    }
    if (name === '') throw new Error(`${kind} name can't be empty string ""`);
    if (name in this) {
      const own = Object.getOwnPropertyDescriptor(this, name);
      if (!own || !allowed(own.get ? own.get.call(this) : own.value)) throw new Error(`attribute '${name}' already exists`);
    }
  }

  private define(name: string, value: unknown): void {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /** Adds a parameter (or a null slot, as `bias=False` layers do) under `name`. */
  registerParameter(name: string, param: Parameter | null): void {
    this.checkName('parameter', name, (v) => v === undefined || v === null || v instanceof Parameter);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(
        `cannot assign '${pyTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`,
      );
    }
    if (param?.gradFn) {
      throw new Error(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. ` +
          `To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    }
    this.define(name, param);
  }

  /** Adds a buffer: state that is saved in `stateDict()` and moved by `to()`, but not learned. */
  registerBuffer(name: string, tensor: Tensor | null, options: RegisterBufferOptions = {}): void {
    this.checkName('buffer', name, (v) => this._bufferSpecs.has(name) || v === undefined);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._bufferSpecs.set(name, options.persistent ?? true);
    this.defineBuffer(name, tensor);
  }

  /** A buffer slot keeps every tensor stored in it, when registered and on each later `module.name = t`. */
  private defineBuffer(name: string, initial: Tensor | null): void {
    let value = keep(initial);
    const set = (next: unknown) => {
      if (next === undefined) next = null;
      if (next !== null && !(next instanceof Tensor)) {
        throw new TypeError(`cannot assign '${pyTypeName(next)}' as buffer '${name}' (torch.Tensor or None expected)`);
      }
      value = keep(next);
    };
    Object.defineProperty(this, name, { get: () => value, set, enumerable: true, configurable: true });
  }

  /** Adds a child module under `name`; the same as assigning it to a field. */
  addModule(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module)) throw new TypeError(`${pyTypeName(module)} is not a Module subclass`);
    this.checkName('module', name, (v) => v === undefined || v === null || v instanceof Module);
    this.define(name, module);
  }

  /** Alias of `addModule`. */
  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  // ---- traversal ----------------------------------------------------------------------------------------------

  /** Every module in the tree, this one first (name ''), depth first; shared modules once. */
  namedModules(memo = new Set<Module>(), prefix = '', removeDuplicate = true): [string, Module][] {
    const out: [string, Module][] = [];
    if (memo.has(this)) return out;
    if (removeDuplicate) memo.add(this);
    out.push([prefix, this]);
    for (const [name, child] of this._ownModules()) {
      out.push(...child.namedModules(memo, prefix ? `${prefix}.${name}` : name, removeDuplicate));
    }
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Direct submodules with their attribute names; shared ones once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, module] of this._ownModules()) {
      if (seen.has(module)) continue;
      seen.add(module);
      out.push([name, module]);
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T extends Tensor>(
    members: (m: Module) => [string, T][],
    prefix: string,
    recurse: boolean,
    removeDuplicate: boolean,
  ): [string, T][] {
    const seen = new Set<T>();
    const owners: [string, Module][] = recurse ? this.namedModules(new Set(), prefix, removeDuplicate) : [[prefix, this]];
    const out: [string, T][] = [];
    for (const [modulePrefix, module] of owners) {
      for (const [name, value] of members(module)) {
        if (removeDuplicate) {
          if (seen.has(value)) continue;
          seen.add(value);
        }
        out.push([modulePrefix ? `${modulePrefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  /** Parameters with PyTorch's dotted names (`0.weight`, `encoder.linear.bias`); shared ones once. */
  namedParameters(prefix = '', recurse = true, removeDuplicate = true): [string, Parameter][] {
    return this.namedMembers((m) => m._ownParameters(), prefix, recurse, removeDuplicate);
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = '', recurse = true, removeDuplicate = true): [string, Tensor][] {
    const own = (m: Module) => m._ownBuffers().map(([name, t]): [string, Tensor] => [name, t]);
    return this.namedMembers(own, prefix, recurse, removeDuplicate);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** The submodule at a dotted path (`'encoder.0'`), as `get_submodule`. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    const cut = target.indexOf('.');
    const item = cut < 0 ? target : target.slice(0, cut);
    const next = this._namedAttributes().find(([name]) => name === item)?.[1];
    if (next === undefined) throw new Error(`${this._getName()} has no attribute \`${item}\``);
    if (!(next instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
    return cut < 0 ? next : next.getSubmodule(target.slice(cut + 1));
  }

  /** The parameter at a dotted path (`'encoder.0.weight'`), as `get_parameter`. */
  getParameter(target: string): Parameter {
    const cut = target.lastIndexOf('.');
    const module = this.getSubmodule(cut < 0 ? '' : target.slice(0, cut));
    const name = target.slice(cut + 1);
    const value = module._namedAttributes().find(([n]) => n === name)?.[1];
    if (value === undefined) throw new Error(`${module._getName()} has no attribute \`${name}\``);
    if (!(value instanceof Parameter)) throw new Error(`\`${name}\` is not an nn.Parameter`);
    return value;
  }

  // ---- modes and in-place updates -------------------------------------------------------------------------------

  /** Sets training mode on this module and every submodule; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode (Dropout passes through, BatchNorm uses running statistics); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Runs `fn` on every submodule (children first) and then on this module; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every parameter (freeze with `false`); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Resets the gradients of every parameter: zeroed in place, or set to null with `setToNone`. */
  zeroGrad(options: ZeroGradOptions = {}): void {
    noGrad(() => {
      for (const p of this.parameters()) {
        if (p.grad === null) continue;
        if (options.setToNone) {
          p.grad = null;
          continue;
        }
        if (p.grad.gradFn) p.grad = p.grad.detach();
        else if (p.grad.requiresGrad) p.grad.requiresGrad_(false);
        p.grad.zero_();
      }
    });
  }

  /**
   * Moves every parameter and buffer to a device (`model.to('webgpu')`), or converts the floating-point ones to a
   * dtype (`model.to('float64')`; integer buffers keep theirs), in place as PyTorch's `module.to`: each Parameter
   * keeps its identity, so an optimizer built earlier still holds the right tensors. Returns this.
   */
  to(target: DeviceLike | DType): this {
    if (isDTypeName(target)) {
      for (const module of this.modules()) castOwnState(module, target);
      return this;
    }
    const device = resolveDevice(target);
    for (const module of this.modules()) moveOwnState(module, device);
    return this;
  }

  /** `model.double()` / `model.float()`: floating-point parameters and buffers to float64 / float32. */
  double(): this {
    return this.to('float64');
  }
  float(): this {
    return this.to('float32');
  }

  cpu(): this {
    return this.to('cpu');
  }

  // ---- state dict -----------------------------------------------------------------------------------------------

  /**
   * Every parameter and persistent buffer by dotted name, in PyTorch's order (each module's parameters, then its
   * buffers, then its children). Values share storage with the module but are detached unless `keepVars`.
   */
  stateDict(options: StateDictOptions = {}): StateDict {
    const out: StateDict = {};
    this.saveToStateDict(out, options.prefix ?? '', options.keepVars ?? false);
    return out;
  }

  private saveToStateDict(out: StateDict, prefix: string, keepVars: boolean): void {
    for (const [name, p] of this._ownParameters()) out[prefix + name] = keepVars ? p : p.detach();
    for (const [name, b, persistent] of this._ownBuffers()) if (persistent) out[prefix + name] = keepVars ? b : b.detach();
    for (const [name, child] of this._ownModules()) child.saveToStateDict(out, `${prefix}${name}.`, keepVars);
  }

  /**
   * Copies parameters and buffers from `stateDict`. Missing and unexpected keys throw unless `strict: false`;
   * shape mismatches always throw, with PyTorch's message. Everything is checked before anything is copied, so a
   * failed load leaves the module unchanged. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: StateDictLike, options: LoadStateDictOptions = {}): IncompatibleKeys {
    return loadStateDict(this, stateDict, options.strict ?? true);
  }

  /**
   * @internal Checks this module's own entries of `context.stateDict` (keys under `prefix`) and queues the copies.
   * BatchNorm overrides it to fill in keys older checkpoints lack, as PyTorch's `_load_from_state_dict`.
   */
  _loadFromStateDict(context: LoadContext, prefix: string): void {
    context.loadOwnState(this, prefix);
  }

  // ---- printing -------------------------------------------------------------------------------------------------

  /** The class name PyTorch prints. */
  _getName(): string {
    return (Object.getPrototypeOf(this) as { constructor: { name: string } }).constructor.name;
  }

  /** The module's settings as printed inside its parentheses, as PyTorch's `extra_repr`. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `repr(module)`, exactly. */
  toString(): string {
    return moduleRepr(this);
  }

  [INSPECT](): string {
    return this.toString();
  }
}

installModuleHooks(Module.prototype);
