/**
 * Tensor memory as blocks carved from large slab buffers, in power-of-two size classes (at least 256 bytes, so
 * every block offset meets the storage-offset alignment). Kernels bind a slab with a dynamic offset per block, so
 * the bind group depends only on (slab, size class) and is reused across ops and steps: creating a bind group
 * per dispatch would cost more than the dispatch itself. Tensors larger than `SHARED_MAX` get their own buffer, so
 * `trim` can give a big one back (a slab goes only once all its blocks are free), and one whose power-of-two class
 * would pass what a kernel can bind gets a buffer of its exact size instead, so every tensor up to the binding
 * limit can be bound.
 *
 * Reuse must respect ordering. Kernels in one batch run in encoding order, so a kernel may write a block released
 * earlier in the same batch. `queue.writeBuffer` (uploads) runs before the whole pending batch, so an upload only
 * gets a block recycled after a submit (`recycle()`).
 */

import type { Fault } from './faults.js';
import { tensorByteLimit } from './limits.js';

export interface Block {
  readonly buffer: GPUBuffer;
  /** Fails if the device could not create `buffer` (out of memory): the block's tensors then hold nothing. */
  readonly fault: Fault;
  readonly offset: number;
  /** Size class in bytes (a power of two, or exact for the largest tensors); the binding covers exactly this range. */
  readonly size: number;
}

const MIN_BLOCK = 256;
/** The largest block carved from a slab; few tensors are bigger, and each costs one bind group per kernel at most. */
const SHARED_MAX = 1 << 20;

export class BlockAllocator {
  private readonly free = new Map<number, Block[]>();
  private readonly pending = new Map<number, Block[]>();
  private slab: { buffer: GPUBuffer; fault: Fault } | null = null;
  private slabUsed = 0;
  /** Slabs start small (a toy model should not reserve 64 MB) and double up to `maxSlab`. */
  private nextSlabSize = 1 << 20;
  private readonly maxSlab: number;
  /** The largest binding (and buffer) a block may have: see `tensorByteLimit`. */
  private readonly maxBlock: number;
  /** Bytes in blocks held by live tensors. */
  allocatedBytes = 0;
  /** Bytes in free blocks, ready for reuse. */
  pooledBytes = 0;
  /** GPU buffers created (slabs and dedicated buffers), and their total bytes: the GPU memory reserved. */
  buffersCreated = 0;
  reservedBytes = 0;
  /** Every buffer the allocator made, with the bytes carved from it (a dedicated buffer is one block). */
  private readonly buffers = new Map<GPUBuffer, { carved: number }>();

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly createFault: (op: string) => Fault,
  ) {
    this.maxBlock = tensorByteLimit(device.limits);
    this.maxSlab = Math.min(64 << 20, 2 ** Math.floor(Math.log2(this.maxBlock)));
  }

  /** A power of two of at least 256 bytes, or `bytes` rounded up to a word past `maxBlock`'s power of two. */
  static sizeClass(bytes: number, maxBlock = Infinity): number {
    const size = Math.max(MIN_BLOCK, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    return size <= maxBlock ? size : Math.ceil(bytes / 4) * 4;
  }

  /** The caller has checked `bytes` against the limit (`checkTensorSize`). */
  acquire(bytes: number, forUpload = false): Block {
    const size = BlockAllocator.sizeClass(bytes, this.maxBlock);
    let block = this.free.get(size)?.pop();
    if (block) this.pooledBytes -= size;
    else if (!forUpload) block = this.pending.get(size)?.pop(); // released earlier in this batch
    block ??= this.carve(size);
    this.allocatedBytes += size;
    return block;
  }

  private carve(size: number): Block {
    if (size > Math.min(SHARED_MAX, this.maxSlab / 4)) return { ...this.createBuffer(size), offset: 0, size };
    // A slab the device could not create is dropped (its blocks fail), and the next block starts a new one.
    if (!this.slab || this.slabUsed + size > this.slab.buffer.size || this.slab.fault.failure()) {
      while (this.nextSlabSize < size * 4) this.nextSlabSize *= 2;
      this.slab = this.createBuffer(Math.min(this.nextSlabSize, this.maxSlab));
      this.nextSlabSize = Math.min(this.nextSlabSize * 2, this.maxSlab);
      this.slabUsed = 0;
    }
    const block = { buffer: this.slab.buffer, fault: this.slab.fault, offset: this.slabUsed, size };
    this.slabUsed += size;
    (this.buffers.get(this.slab.buffer) as { carved: number }).carved += size;
    return block;
  }

  /** Creates a buffer under error scopes, so running out of memory fails the tensors placed in it, not a later op. */
  private createBuffer(size: number): { buffer: GPUBuffer; fault: Fault } {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const buffer = this.device.createBuffer({ size, usage: this.usage });
    const fault = this.createFault('alloc');
    const fail = (kind: string, message: string) =>
      new Error(`webgpu: ${kind}: the device could not create a buffer of ${size} bytes for tensors: ${message}`);
    Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]).then(
      ([validation, oom]) => fault.settle(oom ? fail('out of memory', oom.message) : validation ? fail('validation error', validation.message) : null),
      (error: unknown) => fault.settle(fail('error', (error as Error).message)),
    );
    this.buffers.set(buffer, { carved: 0 });
    this.buffersCreated++;
    this.reservedBytes += size;
    return { buffer, fault };
  }

  release(block: Block): void {
    this.allocatedBytes -= block.size;
    if (block.fault.failure()) return; // never hand out memory the device did not create
    let list = this.pending.get(block.size);
    if (!list) this.pending.set(block.size, (list = []));
    list.push(block);
  }

  /** Called after a submit: released blocks may now be handed out for uploads too. */
  recycle(): void {
    for (const [size, list] of this.pending) {
      if (list.length === 0) continue;
      let free = this.free.get(size);
      if (!free) this.free.set(size, (free = []));
      for (const block of list) free.push(block);
      this.pooledBytes += size * list.length;
      list.length = 0;
    }
  }

  /**
   * Destroys every buffer whose blocks are all free (PyTorch's `empty_cache`): slabs with a live or pending block
   * stay. Free blocks are not bound by the open batch (a block it used is pending), so no flush is needed; buffers
   * that submitted work still uses are released by the device once that work is done. Returns whether any went.
   */
  trim(): boolean {
    const freeBytes = new Map<GPUBuffer, number>();
    for (const list of this.free.values()) for (const b of list) freeBytes.set(b.buffer, (freeBytes.get(b.buffer) ?? 0) + b.size);
    const idle = new Set<GPUBuffer>();
    for (const [buffer, { carved }] of this.buffers) {
      // A dedicated buffer's one block is `carved` 0 (it is not cut from a slab): free means its whole size.
      if (freeBytes.get(buffer) === (carved || buffer.size)) idle.add(buffer);
    }
    if (idle.size === 0) return false;
    for (const [size, list] of this.free) {
      const kept = list.filter((b) => !idle.has(b.buffer));
      this.pooledBytes -= (list.length - kept.length) * size;
      this.free.set(size, kept);
    }
    for (const buffer of idle) {
      this.buffers.delete(buffer);
      this.reservedBytes -= buffer.size;
      buffer.destroy();
    }
    if (this.slab && idle.has(this.slab.buffer)) this.slab = null;
    this.nextSlabSize = 1 << 20;
    return true;
  }

  /** Destroys every buffer. Only for shutting the backend down. */
  destroy(): void {
    for (const b of this.buffers.keys()) b.destroy();
    this.buffers.clear();
    this.free.clear();
    this.pending.clear();
  }
}
