import type { DType } from '@descent/backend';
import type { Device } from './device.js';

/**
 * A backend buffer and the facts every view of it shares. `version` counts in-place writes so autograd can
 * detect a saved tensor that was modified after it was saved (PyTorch's version counter).
 */
export class Storage {
  version = 0;

  constructor(
    readonly device: Device,
    public buffer: unknown,
    readonly numel: number,
    readonly dtype: DType,
  ) {}

  get backend() {
    return this.device.backend;
  }
}
