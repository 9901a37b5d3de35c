import type { DType } from '@descent/backend';
import { BlockAllocator, type Block } from './block-allocator.js';
import { BufferPool } from './buffer-pool.js';
import { CLEAN, type Fault, type Taint } from './faults.js';
import { checkTensorSize, type TensorLimits } from './limits.js';
import { BUFFER_USAGE, GPU_BYTES_PER_ELEMENT } from './wgsl-types.js';

/** A tensor's memory on the GPU: a block of a slab holding `numel` elements of `dtype` (bool as u32). */
export interface GpuBuffer {
  readonly block: Block;
  readonly numel: number;
  readonly dtype: DType;
  released: boolean;
  /** The faults its values depend on (./faults.ts): a read raises the first that failed. */
  taint: Taint;
}

export interface MemoryStats {
  /** Bytes held by live tensors. */
  allocatedBytes: number;
  /** Bytes pooled for reuse. */
  pooledBytes: number;
  /** GPU memory reserved in slabs and dedicated buffers (what the process holds on the device). */
  reservedBytes: number;
  buffersCreated: number;
  dispatches: number;
  submits: number;
}

/** Usage of every tensor buffer: bound as storage, copied from and to. */
export const STORAGE = BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC | BUFFER_USAGE.COPY_DST;

/** Live bytes below which no collection is asked for: a full collection costs milliseconds, this much memory little. */
const GC_FLOOR = 64 << 20;

/**
 * The backend's device memory: tensor blocks sub-allocated from slabs, the mappable staging buffers reads go
 * through, and the garbage-collection high-water mark (`collectionDue`, see `Backend.collector`).
 */
export class GpuMemory {
  readonly pool: BlockAllocator;
  readonly staging: BufferPool;
  private gcThreshold = GC_FLOOR;
  private readonly limits: TensorLimits;

  constructor(device: GPUDevice, createFault: (op: string) => Fault) {
    // A plain copy: each read of a GPUSupportedLimits field is a call into the native binding (Dawn in Node).
    this.limits = { maxBufferSize: device.limits.maxBufferSize, maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize };
    this.pool = new BlockAllocator(device, STORAGE, createFault);
    this.staging = new BufferPool(device, BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST);
  }

  /** Refuses a tensor past the device's limits (`checkTensorSize`) before creating or counting anything. */
  alloc(numel: number, dtype: DType, forUpload: boolean): GpuBuffer {
    checkTensorSize(this.limits, numel, dtype);
    const block = this.pool.acquire(Math.max(numel, 1) * GPU_BYTES_PER_ELEMENT, forUpload);
    return { block, numel, dtype, released: false, taint: block.fault.clean ? CLEAN : [block.fault] };
  }

  /**
   * Whether live memory passed the high-water mark: twice what was live after the last collection, and at least
   * `GC_FLOOR`. Saying yes moves the mark as if the collection freed nothing; `release` lowers it when it did.
   */
  collectionDue(): boolean {
    if (this.pool.allocatedBytes <= this.gcThreshold) return false;
    this.gcThreshold = Math.max(GC_FLOOR, this.pool.allocatedBytes * 2);
    return true;
  }

  /** Returns a live buffer's block to the pool (the caller checks it is not released yet). */
  release(buffer: GpuBuffer): void {
    buffer.released = true;
    this.pool.release(buffer.block);
    if (this.pool.allocatedBytes < this.gcThreshold / 4) this.gcThreshold = Math.max(GC_FLOOR, this.pool.allocatedBytes * 2);
  }

  /** Destroys pooled memory (`emptyCache`), once nothing unsubmitted can use it; true if a tensor buffer went. */
  trim(): boolean {
    this.pool.recycle();
    this.staging.trim();
    return this.pool.trim();
  }

  /** Copies `bytes` bytes out of a mapped staging buffer, then gives it back to the pool. */
  takeMapped(staging: GPUBuffer, bytes: number): Uint8Array {
    const copy = new Uint8Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.staging.release(staging);
    this.staging.recycle();
    return copy;
  }

  stats(dispatches: number, submits: number): MemoryStats {
    return {
      allocatedBytes: this.pool.allocatedBytes,
      pooledBytes: this.pool.pooledBytes,
      reservedBytes: this.pool.reservedBytes,
      buffersCreated: this.pool.buffersCreated,
      dispatches,
      submits,
    };
  }

  destroy(): void {
    this.pool.destroy();
    this.staging.trim();
  }
}
