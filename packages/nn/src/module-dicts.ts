import type { Tensor } from '@descent/tensor';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

// PyTorch's `module._parameters`, `_buffers` and `_modules`: code translated from PyTorch reads them (d2l's
// `m._parameters[name]` for each name in `m._flat_weights_names`). Descent keeps parameters, buffers and submodules
// as fields, so these are read-only snapshots of the module's own entries, in registration order.

declare module './module.js' {
  interface Module {
    /** This module's own parameters by name, as PyTorch's `_parameters` (a snapshot: assign fields to change them). */
    readonly _parameters: Record<string, Parameter>;
    /** This module's own buffers by name, as PyTorch's `_buffers`. */
    readonly _buffers: Record<string, Tensor>;
    /** This module's direct submodules by name, as PyTorch's `_modules`. */
    readonly _modules: Record<string, Module>;
  }
}

Object.defineProperties(Module.prototype, {
  _parameters: {
    get(this: Module) {
      return Object.fromEntries(this._ownParameters());
    },
    configurable: true,
  },
  _buffers: {
    get(this: Module) {
      return Object.fromEntries(this._ownBuffers().map(([name, t]) => [name, t]));
    },
    configurable: true,
  },
  _modules: {
    get(this: Module) {
      return Object.fromEntries(this._ownModules());
    },
    configurable: true,
  },
});
