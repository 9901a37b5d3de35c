import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { ModuleSequence } from './module-sequence.js';

/**
 * Runs its children in order, each on the previous one's output, as `nn.Sequential`. Build it from modules
 * (named '0', '1', ...) or from a Map or object of named modules (PyTorch's OrderedDict form).
 */
export class Sequential extends ModuleSequence {
  constructor(...modules: Module[] | [ReadonlyMap<string, Module> | Readonly<Record<string, Module>>]) {
    super();
    const [first] = modules;
    if (modules.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first);
      for (const [name, module] of entries) this.addModule(name, module as Module);
    } else {
      (modules as Module[]).forEach((module, i) => this.addModule(String(i), module));
    }
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (const [, module] of this._ownModules()) x = module(x);
    return x;
  }

  /** Children `start..end` (negative counts from the end) as a new Sequential that keeps their names. */
  slice(start = 0, end = this.length): Sequential {
    return new Sequential(new Map(this._ownModules().slice(start, end)));
  }
}
