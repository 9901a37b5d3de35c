import type { GarbageCollector } from '@descent/backend';

/** What `createWebGPUBackend` takes: the device, and the switches that pick among its kernels. */
export interface WebGPUBackendOptions {
  device: GPUDevice;
  /** What created the device, for `info()` (e.g. the adapter's backend). */
  description?: string;
  /** The runtime's garbage collector, run on demand past a high-water mark of GPU memory (`Backend.collector`). */
  gc?: Omit<GarbageCollector, 'collectionDue'>;
  /** Elementwise fusion (./fusion/fusion.ts); on unless false or DESCENT_WEBGPU_FUSION=0. */
  fusion?: boolean;
  /**
   * Reductions fold within subgroups where the device can (./subgroups.ts); on unless false or
   * DESCENT_WEBGPU_SUBGROUPS=0. True on a device that cannot leaves them off, as where the option is absent.
   */
  subgroups?: boolean;
  /** The WGSL language features of the `GPU` that made the device (default: `navigator.gpu`'s), for ./subgroups.ts. */
  wgslLanguageFeatures?: ReadonlySet<string>;
}
