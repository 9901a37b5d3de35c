import { Module } from '../module.js';
import { defineNegativeIndices } from './negative-indices.js';

/**
 * What Sequential and ModuleList share: children named '0', '1', ... in order, reachable as `seq[0]` (own
 * properties, so plain indexing works), `seq[-1]` and `seq.at(-1)`, by iteration and by `length`.
 */
export abstract class ModuleSequence extends Module {
  readonly [index: number]: Module;

  static {
    defineNegativeIndices(ModuleSequence.prototype);
  }

  /** The number of children, as `len(...)`. */
  override get length(): number {
    return this._ownModules().length;
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const [, module] of this._ownModules()) yield module;
  }

  /** The child at `index`, counting from the end when negative. */
  at(index: number): Module {
    return this._ownModules()[this.absoluteIndex(index)][1];
  }

  /** Replaces the child at `index` (negative counts from the end), as `seq[index] = module`. */
  set(index: number, module: Module): void {
    this.addModule(this._ownModules()[this.absoluteIndex(index)][0], module);
  }

  /** Appends `module` under the next index; returns this. */
  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this._getName()}.extend should be called with an iterable, but got ${typeof modules}`);
    }
    for (const module of [...modules]) this.append(module);
    return this;
  }

  /** Inserts `module` before position `index` (negative counts from the end); returns this. */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TypeError(`module should be of type: Module`);
    const n = this.length;
    if (!(index >= -n && index <= n)) throw new RangeError(`Index out of range: ${index}`);
    const at = index < 0 ? index + n : index;
    const modules = [...this];
    modules.splice(at, 0, module);
    this.renumber(modules);
    return this;
  }

  /** Removes and returns the child at `index` (negative counts from the end). */
  pop(index = -1): Module {
    const modules = [...this];
    const [removed] = modules.splice(this.absoluteIndex(index), 1);
    this.renumber(modules);
    return removed;
  }

  protected absoluteIndex(index: number): number {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`index ${index} is out of range`);
    return index < 0 ? index + n : index;
  }

  /** Re-registers `modules` as '0', '1', ..., as PyTorch does after a deletion. */
  private renumber(modules: Module[]): void {
    for (const [name] of this._ownModules()) delete (this as unknown as Record<string, unknown>)[name];
    modules.forEach((m, i) => this.addModule(String(i), m));
  }
}
