import type { Executor } from './executor.js';
import type { FaultLog, FaultSlot } from './fault-log.js';
import { indexOutOfRange } from './fault-messages.js';
import { Layouts, adaptSource, type Binding, type Kernel } from './kernel-layout.js';
import type { GpuBuffer } from './memory.js';

const NO_ALIASES: ReadonlyMap<number, number> = new Map();

/**
 * A kernel's storage binding: a tensor buffer, or the fault slot of a kernel that can fault (./fault-log.ts):
 * one with its own explanation, or 'status' for a new slot whose fault says only that an index of the op was out
 * of range.
 */
export type LaunchOperand = GpuBuffer | FaultSlot | 'status';

/**
 * Compiles kernels (once per key) and encodes their dispatches: binds the operands, aliasing a block bound
 * twice, and hands the dispatch to the executor.
 */
export class KernelLauncher {
  private readonly pipelines = new Map<string, Kernel>();
  private readonly layouts: Layouts;
  private readonly maxWorkgroups: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly executor: Executor,
    private readonly faults: FaultLog,
  ) {
    this.layouts = new Layouts(device);
    this.maxWorkgroups = device.limits.maxComputeWorkgroupsPerDimension;
  }

  /** Number of distinct pipelines compiled: keys carry op, dtypes, rank and contiguity, never sizes. */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** The compiled kernel for `key`, adapted to its bindings (see `adaptSource`). */
  private pipeline(key: string, signature: string, aliases: ReadonlyMap<number, number>, source: () => string): Kernel {
    let kernel = this.pipelines.get(key);
    if (!kernel) {
      // A compilation error fails every batch that runs this kernel (the batch's error names the pipeline's key,
      // so the op); the compiler's own message is raised by the next sync.
      this.device.pushErrorScope('validation');
      const dynamic = this.layouts.dynamicFor(signature);
      const layout = this.layouts.get(signature, dynamic);
      const module = this.device.createShaderModule({ code: adaptSource(source(), aliases), label: key });
      const pipeline = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
        label: key,
      });
      const fault = this.faults.create(key);
      this.device.popErrorScope().then(
        (e) => fault.settle(e ? new Error(`webgpu: kernel ${key} failed to compile: ${e.message}`) : null),
        (e: unknown) => fault.settle(new Error(`webgpu: kernel ${key} failed to compile: ${(e as Error).message}`)),
      );
      kernel = { pipeline, layout, signature, dynamic };
      this.pipelines.set(key, kernel);
    }
    return kernel;
  }

  /** Raises, in the op, for a dispatch larger than the device runs (its batch would fail at the next sync). */
  checkWorkgroups(label: string, workgroups: readonly [number, number, number]): void {
    for (let d = 0; d < 3; d++) {
      if (workgroups[d] > this.maxWorkgroups) {
        throw new RangeError(
          `webgpu ${label}: the kernel needs ${workgroups[d]} workgroups along ${'xyz'[d]}, past the device's ` +
            `maxComputeWorkgroupsPerDimension (${this.maxWorkgroups})`,
        );
      }
    }
  }

  /**
   * Encodes one kernel. `operands` are its storage bindings in shader order (binding 1, 2, ...): tensor blocks,
   * or a fault slot. A block bound twice is bound once and aliased in the shader. A dispatch the device cannot
   * run raises here, in the op, instead of failing its whole batch later.
   */
  launch(
    label: string,
    key: string,
    source: () => string,
    operands: readonly LaunchOperand[],
    params: number[],
    workgroups: [number, number, number],
  ): void {
    this.checkWorkgroups(label, workgroups);
    // Hot path (once per op): plain loops, and an alias map only in the rare case of a block bound twice.
    const bindings: Binding[] = [];
    const boundAt: number[] = [];
    let aliases: Map<number, number> | null = null;
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      const block =
        operand === 'status' ? this.faults.slot(label, indexOutOfRange(label)).binding : 'binding' in operand ? operand.binding : operand.block;
      const seen = bindings.indexOf(block);
      if (seen >= 0) {
        (aliases ??= new Map()).set(i + 1, boundAt[seen]);
        continue;
      }
      bindings.push(block);
      boundAt.push(i + 1);
    }
    const aliasKey = aliases ? `|${[...aliases].map(([a, b]) => `${a}=${b}`).join(',')}` : '';
    const kernel = this.pipeline(`${key}${aliasKey}`, 't'.repeat(bindings.length), aliases ?? NO_ALIASES, source);
    this.executor.dispatch({ kernel, bindings, params, workgroups, label });
  }
}
