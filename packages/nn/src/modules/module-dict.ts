import { Module } from '../module.js';
import { pyTypeName } from '../python-repr.js';

/**
 * Holds submodules by name, in insertion order, as `nn.ModuleDict`: `get(key)` / `set(key, module)` stand for
 * Python's `d[key]`. Iterating yields the keys, as in Python.
 */
export class ModuleDict extends Module {
  declare private readonly entriesByName: Map<string, Module>;

  constructor(modules: ReadonlyMap<string, Module> | Readonly<Record<string, Module>> | null = null) {
    super();
    Object.defineProperty(this, 'entriesByName', { value: new Map(), enumerable: false });
    if (modules !== null) this.update(modules);
  }

  override _namedAttributes(): [string, unknown][] {
    return [...super._namedAttributes(), ...this.entriesByName];
  }

  /** The number of children, as `len(...)`. */
  override get length(): number {
    return this.entriesByName.size;
  }

  get(key: string): Module {
    const module = this.entriesByName.get(key);
    if (module === undefined) throw new RangeError(`ModuleDict has no key '${key}'`);
    return module;
  }

  set(key: string, module: Module): void {
    if (!(module instanceof Module)) throw new TypeError(`${pyTypeName(module)} is not a Module subclass`);
    if (typeof key !== 'string') throw new TypeError(`module name should be a string. Got ${pyTypeName(key)}`);
    if (key.includes('.')) throw new Error(`module name can't contain ".", got: ${key}`);
    if (key === '') throw new Error(`module name can't be empty string ""`);
    this.entriesByName.set(key, module);
  }

  has(key: string): boolean {
    return this.entriesByName.has(key);
  }

  /** Removes `key`, as `del d[key]`. */
  delete(key: string): void {
    this.pop(key);
  }

  /** Removes `key` and returns its module. */
  pop(key: string): Module {
    const module = this.get(key);
    this.entriesByName.delete(key);
    return module;
  }

  clear(): void {
    this.entriesByName.clear();
  }

  keys(): string[] {
    return [...this.entriesByName.keys()];
  }

  values(): Module[] {
    return [...this.entriesByName.values()];
  }

  items(): [string, Module][] {
    return [...this.entriesByName.entries()];
  }

  /** Adds or replaces the entries of `modules`, in their order. */
  update(modules: ReadonlyMap<string, Module> | Readonly<Record<string, Module>>): void {
    const entries = modules instanceof Map ? [...modules.entries()] : Object.entries(modules);
    for (const [key, module] of entries) this.set(key, module as Module);
  }

  *[Symbol.iterator](): Iterator<string> {
    yield* this.entriesByName.keys();
  }
}
