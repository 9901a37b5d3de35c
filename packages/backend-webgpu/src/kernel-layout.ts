/**
 * Bind group layouts and bind groups. Binding 0 is the kernel's parameter window in the batch's parameter arena;
 * the others are tensor blocks, each a (slab, size class) range bound with a dynamic offset. A bind group then
 * depends only on which slabs and size classes a kernel touches, so it is created once and reused for every
 * later dispatch, whatever the blocks' offsets. Devices with too few dynamic storage bindings fall back to static
 * bindings (a bind group per distinct set of blocks).
 */

/** Per binding after the parameters: 't' a block bound with a dynamic offset (a tensor's, or a fault slot), 's' a fixed range. */
export type Signature = string;

/** Bytes of the parameter window each kernel sees (its params never exceed this). */
export const PARAMS_WINDOW = 512;

export interface Binding {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export interface Kernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly signature: Signature;
  /** Whether tensor bindings use dynamic offsets. */
  readonly dynamic: boolean;
}

const COMPUTE = 0x4;

export class Layouts {
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  /** Read once: each read of a GPUSupportedLimits field calls into the native binding. */
  private readonly maxDynamicStorage: number;

  constructor(private readonly device: GPUDevice) {
    this.maxDynamicStorage = device.limits.maxDynamicStorageBuffersPerPipelineLayout;
  }

  /** Dynamic offsets are used when the device allows one per tensor binding plus the parameters. */
  dynamicFor(signature: Signature): boolean {
    const tensors = [...signature].filter((c) => c === 't').length;
    return tensors + 1 <= this.maxDynamicStorage;
  }

  get(signature: Signature, dynamic: boolean): GPUBindGroupLayout {
    const key = `${signature}:${dynamic}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: COMPUTE, buffer: { type: 'read-only-storage', hasDynamicOffset: true } },
      ];
      [...signature].forEach((kind, i) =>
        entries.push({ binding: i + 1, visibility: COMPUTE, buffer: { type: 'storage', hasDynamicOffset: dynamic && kind === 't' } }),
      );
      layout = this.device.createBindGroupLayout({ entries, label: `kernel ${key}` });
      this.layouts.set(key, layout);
    }
    return layout;
  }
}

export class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  constructor(
    private readonly device: GPUDevice,
    private readonly limit = 8192,
  ) {}

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }

  get(kernel: Kernel, params: GPUBuffer, bindings: readonly Binding[]): GPUBindGroup {
    let key = `${this.id(kernel.layout)}:${this.id(params)}`;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i];
      key += kernel.dynamic && kernel.signature[i] === 't' ? `:${this.id(b.buffer)}/${b.size}` : `:${this.id(b.buffer)}@${b.offset}/${b.size}`;
    }
    let group = this.groups.get(key);
    if (!group) {
      if (this.groups.size >= this.limit) this.groups.clear();
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: params, offset: 0, size: PARAMS_WINDOW } }];
      bindings.forEach((b, i) => {
        const offset = kernel.dynamic && kernel.signature[i] === 't' ? 0 : b.offset;
        entries.push({ binding: i + 1, resource: { buffer: b.buffer, offset, size: b.size } });
      });
      group = this.device.createBindGroup({ layout: kernel.layout, entries });
      this.groups.set(key, group);
    }
    return group;
  }

  clear(): void {
    this.groups.clear();
  }
}

/**
 * Adapts a kernel's WGSL to the bindings it gets: tensor bindings become read_write (distinct blocks of one slab
 * may then share a dispatch; WebGPU forbids mixing read-only and writable uses of one buffer), and a binding that
 * repeats an earlier block (`x.mul(x)`) is dropped and its name pointed at the earlier one, since overlapping
 * writable bindings are invalid.
 */
export function adaptSource(source: string, aliases: ReadonlyMap<number, number>): string {
  const declaration = /@group\(0\) @binding\((\d+)\) var<storage, (read|read_write)> (\w+): ([^;]+);\n?/g;
  const names = new Map<number, string>();
  for (const m of source.matchAll(declaration)) names.set(Number(m[1]), m[3]);
  // Kept bindings are renumbered 1, 2, ... in binding order (whatever order they are declared in), matching the
  // deduplicated bind group.
  const kept = [...names.keys()].filter((b) => b !== 0 && !aliases.has(b)).sort((x, y) => x - y);
  const renumbered = new Map(kept.map((b, i) => [b, i + 1]));
  let out = source.replace(declaration, (line, binding: string, _access, name: string, type: string) => {
    const b = Number(binding);
    if (b === 0) return line;
    if (aliases.has(b)) return '';
    return `@group(0) @binding(${renumbered.get(b)}) var<storage, read_write> ${name}: ${type};\n`;
  });
  for (const [from, to] of aliases) {
    const [fromName, toName] = [names.get(from), names.get(to)];
    if (fromName === undefined || toName === undefined) throw new Error(`kernel source declares no binding ${fromName === undefined ? from : to}`);
    out = out.replace(new RegExp(`\\b${fromName}\\b`, 'g'), toName);
  }
  return out;
}
