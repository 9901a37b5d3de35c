/**
 * A size-bucketed pool of GPU buffers. Sizes round up to a power of two (at least 256 bytes), so a training loop
 * that allocates the same shapes every step reuses the same buffers.
 *
 * Reuse must respect ordering. Kernels in one batch run in encoding order, so a kernel may write a buffer released
 * earlier in the same batch. `queue.writeBuffer` (uploads) runs before the whole pending batch, so an upload only
 * gets a buffer recycled after a submit (`recycle()`).
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  /** Bytes held by live (acquired, not yet released) buffers. */
  allocatedBytes = 0;
  /** Bytes held by the pool, ready for reuse. */
  pooledBytes = 0;
  /** Buffers created since the start (a flat count in a steady loop means the pool is doing its job). */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
  ) {
    this.maxBufferSize = device.limits.maxBufferSize;
  }

  /** Read once: each read of a GPUSupportedLimits field calls into the native binding. */
  private readonly maxBufferSize: number;

  /** A power of two of at least 256 bytes, or the exact size where that power would pass `maxBufferSize`. */
  static bucket(bytes: number, maxBufferSize = Infinity): number {
    const size = Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
    return size <= maxBufferSize ? size : Math.ceil(bytes / 4) * 4;
  }

  acquire(bytes: number, forUpload = false): GPUBuffer {
    const size = BufferPool.bucket(bytes, this.maxBufferSize);
    let buffer = this.free.get(size)?.pop();
    if (buffer) {
      this.pooledBytes -= size;
    } else if (!forUpload && (buffer = this.takePending(size))) {
      // released earlier in this batch: a later kernel may overwrite it
    } else {
      buffer = this.device.createBuffer({ size, usage: this.usage });
      this.created++;
    }
    this.allocatedBytes += size;
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    this.allocatedBytes -= buffer.size;
    this.pending.push(buffer);
  }

  private takePending(size: number): GPUBuffer | undefined {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].size === size) {
        const [buffer] = this.pending.splice(i, 1);
        return buffer;
      }
    }
    return undefined;
  }

  /** Called after a submit: released buffers may now be handed out again. */
  recycle(): void {
    for (const buffer of this.pending) {
      let list = this.free.get(buffer.size);
      if (!list) this.free.set(buffer.size, (list = []));
      list.push(buffer);
      this.pooledBytes += buffer.size;
    }
    this.pending = [];
  }

  /** Destroys pooled buffers (e.g. to return memory to the driver). Live buffers are untouched. */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }
}
