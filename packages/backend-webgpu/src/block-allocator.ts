/**
 * Tensor memory as blocks carved from large slab buffers, in power-of-two size classes (at least 256 bytes, so
 * every block offset meets the storage-offset alignment). Kernels bind a slab with a dynamic offset per block, so
 * the bind group depends only on (slab, size class) and is reused across ops and steps: creating a bind group
 * per dispatch would cost more than the dispatch itself. Tensors larger than a quarter slab get their own buffer.
 *
 * Reuse must respect ordering. Kernels in one batch run in encoding order, so a kernel may write a block released
 * earlier in the same batch. `queue.writeBuffer` (uploads) runs before the whole pending batch, so an upload only
 * gets a block recycled after a submit (`recycle()`).
 */

export interface Block {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  /** Size class in bytes (a power of two); the binding covers exactly this range. */
  readonly size: number;
}

const MIN_BLOCK = 256;

export class BlockAllocator {
  private readonly free = new Map<number, Block[]>();
  private readonly pending = new Map<number, Block[]>();
  private slab: GPUBuffer | null = null;
  private slabUsed = 0;
  /** Slabs start small (a toy model should not reserve 64 MB) and double up to `maxSlab`. */
  private nextSlabSize = 1 << 20;
  private readonly maxSlab: number;
  /** Bytes in blocks held by live tensors. */
  allocatedBytes = 0;
  /** Bytes in free blocks, ready for reuse. */
  pooledBytes = 0;
  /** GPU buffers created (slabs and dedicated buffers), and their total bytes: the GPU memory reserved. */
  buffersCreated = 0;
  reservedBytes = 0;
  private readonly buffers: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
  ) {
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    this.maxSlab = Math.min(64 << 20, 2 ** Math.floor(Math.log2(limit)));
  }

  static sizeClass(bytes: number): number {
    return Math.max(MIN_BLOCK, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
  }

  acquire(bytes: number, forUpload = false): Block {
    const size = BlockAllocator.sizeClass(bytes);
    let block = this.free.get(size)?.pop();
    if (block) this.pooledBytes -= size;
    else if (!forUpload) block = this.pending.get(size)?.pop(); // released earlier in this batch
    block ??= this.carve(size);
    this.allocatedBytes += size;
    return block;
  }

  private carve(size: number): Block {
    if (size > this.maxSlab / 4) return { buffer: this.createBuffer(size), offset: 0, size };
    if (!this.slab || this.slabUsed + size > this.slab.size) {
      while (this.nextSlabSize < size * 4) this.nextSlabSize *= 2;
      this.slab = this.createBuffer(Math.min(this.nextSlabSize, this.maxSlab));
      this.nextSlabSize = Math.min(this.nextSlabSize * 2, this.maxSlab);
      this.slabUsed = 0;
    }
    const block = { buffer: this.slab, offset: this.slabUsed, size };
    this.slabUsed += size;
    return block;
  }

  private createBuffer(size: number): GPUBuffer {
    const buffer = this.device.createBuffer({ size, usage: this.usage });
    this.buffers.push(buffer);
    this.buffersCreated++;
    this.reservedBytes += size;
    return buffer;
  }

  release(block: Block): void {
    this.allocatedBytes -= block.size;
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

  /** Destroys every buffer. Only for shutting the backend down. */
  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
    this.free.clear();
    this.pending.clear();
  }
}
