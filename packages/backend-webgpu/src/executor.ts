/**
 * Batched execution: kernels are encoded into one shared compute pass and submitted at sync points (a read, an
 * explicit synchronize, or when the batch is full), never one submit per op. Kernel parameters go into one
 * storage-buffer arena per batch, written with a single `writeBuffer` just before the submit.
 *
 * Each batch runs under an error scope and has a fault (./faults.ts): if the device rejects the batch, none of it
 * ran, so every output written in it fails, naming the batch's ops, and the tensors of other batches read on.
 */

import type { FaultLog } from './fault-log.js';
import { batchError } from './fault-messages.js';
import type { Fault } from './faults.js';
import { BindGroupCache, PARAMS_WINDOW, type Binding, type Kernel } from './kernel-layout.js';
import { BUFFER_USAGE } from './wgsl-types.js';

const PARAMS_BYTES = 1 << 20;
const MAX_DISPATCHES_PER_BATCH = 2048;

export interface Dispatch {
  readonly kernel: Kernel;
  /** What is bound after the params, at bindings 1, 2, ... (already deduplicated). */
  readonly bindings: readonly Binding[];
  readonly params: ArrayLike<number>;
  readonly workgroups: readonly [number, number, number];
  /** The op's name, reported with any validation error of its batch. */
  readonly label: string;
}

export class Executor {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly paramsBuffer: GPUBuffer;
  private readonly paramsData = new Uint32Array(PARAMS_BYTES / 4);
  private paramsOffset = 0;
  private readonly align: number;
  private labels: string[] = [];
  private readonly offsets: number[][] = [];
  /** The pipeline set on the open pass (setting it again costs a driver call). */
  private lastPipeline: GPUComputePipeline | null = null;
  private readonly bindGroups: BindGroupCache;
  /** The open batch's fault, and those of submitted batches whose error scopes have not answered yet. */
  private batch: Fault | null = null;
  private unsettled: Fault[] = [];
  /** Dispatches encoded since the start, and submits: their ratio shows the batching at work. */
  dispatchCount = 0;
  submitCount = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly faults: FaultLog,
    private readonly onSubmit: () => void,
  ) {
    this.align = device.limits.minStorageBufferOffsetAlignment;
    this.bindGroups = new BindGroupCache(device);
    this.paramsBuffer = device.createBuffer({
      size: PARAMS_BYTES + PARAMS_WINDOW,
      usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_DST,
    });
  }

  private begin(): GPUCommandEncoder {
    if (!this.encoder) {
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      this.encoder = this.device.createCommandEncoder();
      this.batch = this.faults.create('batch');
    }
    return this.encoder;
  }

  /** The open batch's fault (opening one): a copy encoded now is valid only if it settles clean. */
  get batchFault(): Fault {
    this.begin();
    return this.batch as Fault;
  }

  dispatch(d: Dispatch): void {
    const paramBytes = d.params.length * 4;
    if (paramBytes > PARAMS_WINDOW) throw new Error(`kernel ${d.label}: ${paramBytes} bytes of parameters exceed ${PARAMS_WINDOW}`);
    if (this.paramsOffset + paramBytes > PARAMS_BYTES || this.labels.length >= MAX_DISPATCHES_PER_BATCH) this.flush();
    const encoder = this.begin();
    if (!this.pass) {
      this.pass = encoder.beginComputePass();
      this.lastPipeline = null;
    }
    const offset = this.paramsOffset;
    this.paramsData.set(d.params as ArrayLike<number>, offset / 4);
    this.paramsOffset = Math.ceil((offset + paramBytes) / this.align) * this.align;
    const kernel = d.kernel;
    // setBindGroup copies the offsets, so one array per length is reused across dispatches.
    let count = 1;
    if (kernel.dynamic) for (let i = 0; i < d.bindings.length; i++) if (kernel.signature[i] === 't') count++;
    const dynamicOffsets = (this.offsets[count] ??= new Array<number>(count));
    dynamicOffsets[0] = offset;
    if (kernel.dynamic) {
      let j = 1;
      for (let i = 0; i < d.bindings.length; i++) if (kernel.signature[i] === 't') dynamicOffsets[j++] = d.bindings[i].offset;
    }
    if (this.lastPipeline !== kernel.pipeline) this.pass.setPipeline(kernel.pipeline);
    this.lastPipeline = kernel.pipeline;
    this.pass.setBindGroup(0, this.bindGroups.get(kernel, this.paramsBuffer, d.bindings), dynamicOffsets);
    this.pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
    this.faults.note(this.batch as Fault);
    this.labels.push(d.label);
    this.dispatchCount++;
  }

  /** Encodes a buffer copy (outside the compute pass, which is ended and reopened by the next dispatch). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    const encoder = this.begin();
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    encoder.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.labels.push('read');
  }

  /** Submits everything encoded so far; the batch's fault settles when its error scopes answer. */
  flush(): void {
    if (!this.encoder) return;
    if (this.pass) this.pass.end();
    this.pass = null;
    if (this.paramsOffset > 0) this.device.queue.writeBuffer(this.paramsBuffer, 0, this.paramsData, 0, this.paramsOffset / 4);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.paramsOffset = 0;
    this.submitCount++;
    const labels = this.labels;
    this.labels = [];
    const batch = this.batch as Fault;
    this.batch = null;
    // Scopes pop in reverse: validation (pushed last), then out-of-memory.
    Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]).then(
      ([validation, oom]) => {
        const error = validation ?? oom;
        batch.settle(error ? batchError(error === oom ? 'out of memory' : 'validation error', labels, error.message) : null);
      },
      (error: unknown) => batch.settle(batchError('error', labels, (error as Error).message)),
    );
    this.unsettled.push(batch);
    this.onSubmit();
  }

  /** Waits until every submitted batch's error scopes answered (their faults settled). */
  async settled(): Promise<void> {
    const pending = this.unsettled;
    this.unsettled = [];
    await Promise.all(pending.map((f) => f.settled()));
  }

  /** Forgets cached bind groups (when pooled buffers are destroyed). */
  clearBindGroups(): void {
    this.bindGroups.clear();
  }

  get pending(): boolean {
    return this.encoder !== null;
  }
}
