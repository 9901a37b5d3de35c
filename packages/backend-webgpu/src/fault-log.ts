/**
 * Where faults come from and where they are collected. A kernel that can fault (an index, an int64 result) gets
 * its own slot of four words in a fault buffer, bound like a tensor block (with a dynamic offset), so its fault
 * names that one op: word 0 counts bad indices, word 1 flags an int64 overflow, word 2 holds a bad index value.
 * At a read or a sync the slots written since the last collection are copied out, cleared and explained.
 *
 * The log also gathers the faults created while one op runs (`note`/`take`): the backend hands them to the op's
 * output, along with its inputs' taint (./faults.ts).
 */

import { Fault } from './faults.js';
import type { Binding } from './kernel-layout.js';
import { BUFFER_USAGE, MAP_MODE_READ } from './wgsl-types.js';

/** Turns a slot's words into the op's error, or null when they say nothing went wrong. */
export type Explain = (words: Uint32Array) => Error | null;

/** A kernel's fault slot, bound after its tensors (see `KernelLauncher.launch`). */
export interface FaultSlot {
  readonly binding: Binding;
  readonly fault: Fault;
}

const SLOT_BYTES = 16;
const SLOTS_PER_BUFFER = 256;

interface Slot {
  readonly fault: Fault;
  readonly explain: Explain;
}

/** The slots handed out in one fault buffer since its last collection. */
interface Page {
  readonly buffer: GPUBuffer;
  readonly slots: Slot[];
}

export class FaultLog {
  /** Bytes between slots: binding offsets must be multiples of the storage offset alignment. */
  private readonly stride: number;
  private page: Page | null = null;
  private full: Page[] = [];
  private readonly spare: GPUBuffer[] = [];
  private fresh: Fault[] = [];
  private unreported: Fault[] = [];

  constructor(private readonly device: GPUDevice) {
    this.stride = Math.max(SLOT_BYTES, device.limits.minStorageBufferOffsetAlignment);
  }

  /** A fault for `op`, remembered for `unreportedError` once it fails. */
  create(op: string): Fault {
    return new Fault(op, (f) => this.unreported.push(f));
  }

  /** A slot for one dispatch of `op`; the fault is noted for the op's output. */
  slot(op: string, explain: Explain): FaultSlot {
    if (!this.page || this.page.slots.length === SLOTS_PER_BUFFER) {
      if (this.page) this.full.push(this.page);
      const buffer =
        this.spare.pop() ??
        this.device.createBuffer({
          size: this.stride * SLOTS_PER_BUFFER,
          usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC | BUFFER_USAGE.COPY_DST,
          label: 'descent fault slots',
        });
      this.page = { buffer, slots: [] };
    }
    const fault = this.create(op);
    const offset = this.page.slots.length * this.stride;
    this.page.slots.push({ fault, explain });
    this.note(fault);
    return { binding: { buffer: this.page.buffer, offset, size: SLOT_BYTES }, fault };
  }

  /** Records that the running op's result depends on `fault`. */
  note(fault: Fault): void {
    if (this.fresh[this.fresh.length - 1] !== fault && !fault.clean) this.fresh.push(fault);
  }

  /** The faults noted since the last call: those of the op that just ran. */
  take(): Fault[] {
    const taken = this.fresh;
    if (taken.length > 0) this.fresh = [];
    return taken;
  }

  /**
   * Reads back every slot handed out so far (their dispatches must be submitted: call after a flush), clears them
   * and settles their faults. Encoded and submitted before it returns, so slots handed out later go to new pages.
   */
  collect(): Promise<void> {
    const pages = this.page ? [...this.full, this.page] : this.full;
    this.page = null;
    this.full = [];
    if (pages.length === 0) return Promise.resolve();
    const bytes = pages.reduce((sum, p) => sum + p.slots.length * this.stride, 0);
    const staging = this.device.createBuffer({ size: bytes, usage: BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    let at = 0;
    for (const page of pages) {
      const used = page.slots.length * this.stride;
      encoder.copyBufferToBuffer(page.buffer, 0, staging, at, used);
      encoder.clearBuffer(page.buffer, 0, used);
      at += used;
    }
    this.device.queue.submit([encoder.finish()]);
    // The clear is queued before any later dispatch, so the pages can take new slots at once.
    for (const page of pages) this.spare.push(page.buffer);
    return staging.mapAsync(MAP_MODE_READ).then(
      () => {
        const words = new Uint32Array(staging.getMappedRange().slice(0));
        staging.destroy();
        let slot = 0;
        for (const page of pages) {
          for (const { fault, explain } of page.slots) {
            fault.settle(explain(words.subarray((slot * this.stride) / 4, (slot * this.stride + SLOT_BYTES) / 4)));
            slot++;
          }
        }
      },
      (error: unknown) => {
        staging.destroy();
        const reason = new Error(`webgpu: the device's fault words could not be read: ${(error as Error).message}`);
        for (const page of pages) for (const { fault } of page.slots) fault.settle(reason);
      },
    );
  }

  /**
   * The failures no read or sync has raised yet, as one error (the first one's, with a count of the others), and
   * forgets them: a sync raises each failure once.
   */
  unreportedError(): Error | null {
    const failed = this.unreported.filter((f) => !f.reported);
    this.unreported = [];
    if (failed.length === 0) return null;
    const first = failed[0].raise();
    for (const f of failed) f.reported = true;
    if (failed.length === 1) return first;
    const others = [...new Set(failed.slice(1).map((f) => f.op))].join(', ');
    first.message += ` (and ${failed.length - 1} more failed op${failed.length > 2 ? 's' : ''} since the last sync: ${others})`;
    return first;
  }
}
