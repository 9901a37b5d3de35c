import type { Executor } from './executor.js';
import { Layouts, adaptSource, type Binding, type Kernel } from './kernel-layout.js';
import type { GpuBuffer } from './memory.js';

const NO_ALIASES: ReadonlyMap<number, number> = new Map();

/** A kernel's storage binding: a tensor buffer, or 'status' for the error word. */
export type LaunchOperand = GpuBuffer | 'status';

/**
 * Compiles kernels (once per key) and encodes their dispatches: binds the operands, aliasing a block bound
 * twice, and hands the dispatch to the executor.
 */
export class KernelLauncher {
  private readonly pipelines = new Map<string, Kernel>();
  private readonly layouts: Layouts;

  constructor(
    private readonly device: GPUDevice,
    private readonly executor: Executor,
    /** The 16-byte error word kernels bound with 'status' write to. */
    private readonly status: GPUBuffer,
  ) {
    this.layouts = new Layouts(device);
  }

  /** Number of distinct pipelines compiled: keys carry op, dtypes, rank and contiguity, never sizes. */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** The compiled kernel for `key`, adapted to its bindings (see `adaptSource`). */
  private pipeline(key: string, signature: string, aliases: ReadonlyMap<number, number>, source: () => string): Kernel {
    let kernel = this.pipelines.get(key);
    if (!kernel) {
      // Compilation errors are reported at the next sync with the kernel's key, like any kernel error.
      this.device.pushErrorScope('validation');
      const dynamic = this.layouts.dynamicFor(signature);
      const layout = this.layouts.get(signature, dynamic);
      const module = this.device.createShaderModule({ code: adaptSource(source(), aliases), label: key });
      const pipeline = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
        label: key,
      });
      this.executor.track(this.device.popErrorScope(), [key]);
      kernel = { pipeline, layout, signature, dynamic };
      this.pipelines.set(key, kernel);
    }
    return kernel;
  }

  /**
   * Encodes one kernel. `operands` are its storage bindings in shader order (binding 1, 2, ...): tensor blocks,
   * or 'status' for the error word. A block bound twice is bound once and aliased in the shader.
   */
  launch(
    label: string,
    key: string,
    source: () => string,
    operands: readonly LaunchOperand[],
    params: number[],
    workgroups: [number, number, number],
  ): void {
    // Hot path (once per op): plain loops, and an alias map only in the rare case of a block bound twice.
    const bindings: Binding[] = [];
    const boundAt: number[] = [];
    let aliases: Map<number, number> | null = null;
    let signature = '';
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      if (operand === 'status') {
        bindings.push({ buffer: this.status, offset: 0, size: 16 });
        boundAt.push(i + 1);
        signature += 's';
        continue;
      }
      const seen = bindings.indexOf(operand.block);
      if (seen >= 0) {
        (aliases ??= new Map()).set(i + 1, boundAt[seen]);
        continue;
      }
      bindings.push(operand.block);
      boundAt.push(i + 1);
      signature += 't';
    }
    const aliasKey = aliases ? `|${[...aliases].map(([a, b]) => `${a}=${b}`).join(',')}` : '';
    const kernel = this.pipeline(`${key}${aliasKey}`, signature, aliases ?? NO_ALIASES, source);
    this.executor.dispatch({ kernel, bindings, params, workgroups, label });
  }
}
