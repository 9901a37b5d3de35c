import type { Module } from '../module.js';
import { ModuleSequence } from './module-sequence.js';

/**
 * Holds submodules in a list so their parameters are registered, as `nn.ModuleList` (a plain array of modules
 * is not searched). It has no `forward`: iterate it in your own module's `forward`.
 */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> | null = null) {
    super();
    if (modules !== null) this.extend(modules);
  }

  /** Children `start..end` (negative counts from the end) as a new ModuleList. */
  slice(start = 0, end = this.length): ModuleList {
    return new ModuleList([...this].slice(start, end));
  }
}
