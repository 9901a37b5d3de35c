import type { DType } from '@descent/backend';
import type { Device } from './device.js';
import { reclaimerOf } from './reclaim.js';

/**
 * A backend buffer and the facts every view of it shares. `version` counts in-place writes so autograd can
 * detect a saved tensor that was modified after it was saved (PyTorch's version counter). Buffers of backends
 * that are not garbage collected (GPUs) are freed when the storage becomes unreachable, or on `dispose()`.
 */
export class Storage {
  version = 0;
  /**
   * Set by `keep()` (modules and optimizers call it on what they store) and for gradients: `scope()` never disposes
   * a pinned storage.
   */
  pinned = false;

  constructor(
    readonly device: Device,
    public buffer: unknown,
    readonly numel: number,
    readonly dtype: DType,
  ) {
    if (!device.backend.gcManaged) reclaimerOf(device.backend).track(this, buffer);
  }

  get backend() {
    return this.device.backend;
  }

  get disposed(): boolean {
    return this.buffer === null;
  }

  /** Frees the buffer now. Later use of any tensor on this storage fails with a clear error. */
  dispose(): void {
    if (this.buffer === null) return;
    if (!this.device.backend.gcManaged) reclaimerOf(this.device.backend).forget(this);
    this.device.backend.free(this.buffer);
    this.buffer = null;
  }
}
