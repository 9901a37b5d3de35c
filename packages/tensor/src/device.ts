import { SPEC_VERSION, supportedDTypes, type Backend, type DType } from '@descent/backend';
import { createCpuBackend } from '@descent/backend-cpu';

/** The backend methods a backend may leave out (fused kernels, synchronous reads). */
export type OptionalBackendMethod = {
  [M in keyof Backend]-?: undefined extends Backend[M] ? (NonNullable<Backend[M]> extends (...args: never[]) => unknown ? M : never) : never;
}[keyof Backend];

/** A place tensors live, as `torch.device('cpu')` or `torch.device('webgpu')`. */
export class Device {
  constructor(
    readonly type: string,
    /** Only `@descent/tensor` calls it (the layering check enforces this); other packages ask `supports()`. */
    readonly backend: Backend,
    readonly index: number | null = null,
  ) {}

  /**
   * Whether this device's backend implements an optional method: `supports('readSync')` says whether values can be
   * read synchronously; `supports('softmax')` whether a fused kernel exists.
   */
  supports(method: OptionalBackendMethod): boolean {
    return this.backend[method] !== undefined;
  }

  /** Whether the garbage collector frees this device's memory (the CPU): nothing to free by hand, ever. */
  get gcManaged(): boolean {
    return this.backend.gcManaged === true;
  }

  /** Whether this device stores `dtype` (a GPU may have no float64). */
  holds(dtype: DType): boolean {
    return supportedDTypes(this.backend).includes(dtype);
  }

  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }

  /** `console.log(t.device)` prints PyTorch's repr, `device(type='cpu')`, not the backend object. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }

  /** `JSON.stringify` writes the string that `torch.device(...)` and `.to(...)` accept: `'cpu'`, `'webgpu:0'`. */
  toJSON(): string {
    return this.toString();
  }
}

export type DeviceLike = Device | string;

const devices = new Map<string, Device>();

/**
 * Makes a backend available as a device type. The CPU backend is registered here, so tensors work with no
 * configuration; other backends (WebGPU) register when the user creates them.
 */
export function registerBackend(backend: Backend, index: number | null = null): Device {
  if (backend.specVersion !== SPEC_VERSION) {
    throw new Error(
      `Backend '${backend.name}' implements spec version ${backend.specVersion}, but @descent/tensor needs ` +
        `version ${SPEC_VERSION}. Install matching versions of @descent/backend and the backend package.`,
    );
  }
  const device = new Device(backend.name, backend, index);
  devices.set(backend.name, device);
  return device;
}

export const cpu = registerBackend(createCpuBackend());

/** Forgets a device type (after its backend was shut down). */
export function unregisterBackend(type: string): void {
  if (type === 'cpu') throw new Error('The CPU backend cannot be unregistered.');
  devices.delete(type);
}

/** Resolves `'cpu'`, `'webgpu'`, `'webgpu:0'` or a Device, with a clear message for an unknown one. */
export function device(spec: DeviceLike): Device {
  if (spec instanceof Device) return spec;
  const type = spec.split(':')[0];
  const found = devices.get(type);
  if (!found) {
    const known = [...devices.keys()].join(', ');
    const hint =
      type === 'webgpu'
        ? " Create it first: `await torch.webgpu.init()` (Node: import '@descent/backend-webgpu/node')."
        : type === 'cuda' || type === 'mps'
          ? " Descent's GPU device is 'webgpu': `await torch.webgpu.init()`, then use 'webgpu' where PyTorch uses 'cuda' (torch.cuda.isAvailable() is false here, as in PyTorch without CUDA)."
          : '';
    throw new Error(`Unknown device '${spec}'. Available devices: ${known}.${hint}`);
  }
  return found;
}

export function isDeviceAvailable(type: string): boolean {
  return devices.has(type);
}
