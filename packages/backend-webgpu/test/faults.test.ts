import { contiguousView, type DType, type HostArray, type Operand, type SgdUpdate } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { BlockAllocator } from '../src/block-allocator.js';
import { BufferPool } from '../src/buffer-pool.js';
import type { GpuBuffer } from '../src/index.js';
import { testBackend } from './adapter.js';

/**
 * Faults where they happen (src/faults.ts): an allocation past the device's limits raises in the op that asked;
 * a bad index, an int64 overflow or a batch the device rejected fails the op's output and everything computed
 * from it, raised at its read (or the next sync) with the op's name, while unrelated tensors read their values.
 */
const backend = await testBackend();

const SGD: SgdUpdate = { lr: 0.5, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: true };

describe('tensor sizes round up to powers of two only while a kernel can still bind them', () => {
  it('a block past the binding limit\'s power of two gets its exact size (in words)', () => {
    expect(BlockAllocator.sizeClass(1000, 3000)).toBe(1024);
    expect(BlockAllocator.sizeClass(2049, 3000)).toBe(2052);
    expect(BlockAllocator.sizeClass(3000, 3000)).toBe(3000);
    expect(BlockAllocator.sizeClass(10)).toBe(256);
    expect(BufferPool.bucket(3_000_000_000, 4294967295)).toBe(3_000_000_000);
    expect(BufferPool.bucket(1000, 4294967295)).toBe(1024);
  });
});

describe.runIf(backend !== null)('WebGPU faults', () => {
  const b = backend as NonNullable<typeof backend>;
  const limits = b.device.limits;
  const host: Partial<Record<DType, (v: readonly number[]) => HostArray>> = {
    float32: (v) => Float32Array.from(v),
    int64: (v) => BigInt64Array.from(v, (x) => BigInt(x)),
    int32: (v) => Int32Array.from(v),
  };
  const view = (buffer: GpuBuffer, shape: readonly number[], dtype: DType = buffer.dtype): Operand<GpuBuffer> => ({ buffer, view: contiguousView(shape), dtype });
  const up = (dtype: DType, values: readonly number[]) => view(b.upload(host[dtype]!(values), dtype), [values.length], dtype);
  const read = async (x: GpuBuffer | Operand<GpuBuffer>) => {
    const buffer = 'block' in x ? x : x.buffer;
    return Array.from((await b.read(buffer, buffer.dtype, buffer.numel)) as ArrayLike<number | bigint>, Number);
  };
  const gatherOutOfRange = () => b.gather(up('float32', [1, 2, 3]), 0, up('int64', [0, 10]));
  const GATHER_ERROR = 'gather: index 10 is out of bounds for dimension 0 with size 3';

  describe('allocations beyond the device limits raise at once, in the op that asked', () => {
    it('past maxBufferSize: a RangeError naming the bytes and the limit; memory stats and later ops untouched', async () => {
      await b.synchronize();
      const before = b.memory();
      expect(() => b.alloc(1e10, 'float32')).toThrow(RangeError);
      expect(() => b.alloc(1e10, 'float32')).toThrow(
        `webgpu: cannot allocate 40000000000 bytes for a tensor of 10000000000 float32: the device's maxBufferSize is ${limits.maxBufferSize} bytes`,
      );
      const after = b.memory();
      expect([after.allocatedBytes, after.reservedBytes, after.buffersCreated]).toEqual([before.allocatedBytes, before.reservedBytes, before.buffersCreated]);
      expect(await read(b.binary('add', up('int32', [1, 2]), up('int32', [3, 4])))).toEqual([4, 6]);
      await expect(b.synchronize()).resolves.toBeUndefined();
    });

    it('past maxStorageBufferBindingSize: kernels bind a tensor whole, so it is refused at creation', () => {
      const n = Math.floor(limits.maxStorageBufferBindingSize / 4) + 1;
      const bytes = n * 4;
      const before = b.memory().allocatedBytes;
      const limit =
        bytes > limits.maxBufferSize
          ? `the device's maxBufferSize is ${limits.maxBufferSize} bytes`
          : `kernels bind a tensor's memory whole, and the device's maxStorageBufferBindingSize is ${limits.maxStorageBufferBindingSize} bytes`;
      expect(() => b.alloc(n, 'int64')).toThrow(`webgpu: cannot allocate ${bytes} bytes for a tensor of ${n} int64: ${limit}`);
      expect(b.memory().allocatedBytes).toBe(before);
    });

    it('a tensor of exactly the limit is allocated at its size and works in kernels', { timeout: 120_000 }, async () => {
      const n = Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 4);
      const before = b.memory().allocatedBytes;
      const big = b.alloc(n, 'float32');
      expect(big.block.size).toBeLessThanOrEqual(limits.maxStorageBufferBindingSize);
      expect(b.memory().allocatedBytes - before).toBe(big.block.size);
      b.fill(view(big, [n]), 1.5);
      const negated = b.unary('neg', view(big, [n]));
      const max = b.reduce('max', view(negated, [n]), 1);
      expect(await read(view(max, []))).toEqual([-1.5]);
      for (const t of [big, negated, max]) b.free(t);
      expect(b.memory().allocatedBytes).toBe(before);
    });

    it('a matmul with more tiles than workgroups per dimension splits its dispatch', { timeout: 120_000 }, async () => {
      const batch = limits.maxComputeWorkgroupsPerDimension + 10;
      const a = b.upload(Float32Array.from({ length: batch }, (_, i) => i), 'float32');
      const two = b.upload(Float32Array.of(2), 'float32');
      const out = b.matmul(
        { buffer: a, view: { shape: [batch, 1, 1], strides: [1, 1, 1], offset: 0 }, dtype: 'float32' },
        { buffer: two, view: { shape: [batch, 1, 1], strides: [0, 1, 1], offset: 0 }, dtype: 'float32' },
      );
      const values = await read(view(out, [batch]));
      expect([values[0], values[1], values[65534], values[65535], values[batch - 1]]).toEqual([0, 2, 131068, 131070, 2 * (batch - 1)]);
    });
  });

  describe('an invalid index fails the op\'s result and what depends on it, not unrelated work', () => {
    it('gather: raised at the read with PyTorch\'s message; dependents raise; other tensors read on', async () => {
      await b.synchronize();
      const base = b.memory().allocatedBytes;
      const [x, index] = [up('float32', [1, 2, 3]), up('int64', [0, 10])];
      const bad = b.gather(x, 0, index);
      const negated = b.unary('neg', view(bad, [2]));
      const dependent = b.binary('mul', view(negated, [2]), view(bad, [2]));
      const [p, q] = [up('float32', [1, 2]), up('float32', [10, 20])];
      const unrelated = b.binary('add', p, q);
      await expect(b.read(bad, 'float32', 2)).rejects.toThrow(new RangeError(GATHER_ERROR));
      await expect(b.read(bad, 'float32', 2)).rejects.toThrow(RangeError); // sticky: never the garbage values
      await expect(b.read(dependent, 'float32', 2)).rejects.toThrow(GATHER_ERROR);
      expect(await read(view(unrelated, [2]))).toEqual([11, 22]);
      const later = b.unary('neg', view(bad, [2])); // computed after the fault was known
      await expect(b.read(later, 'float32', 2)).rejects.toThrow(GATHER_ERROR);
      await expect(b.synchronize()).resolves.toBeUndefined(); // already raised by a read
      for (const t of [x.buffer, index.buffer, bad, negated, dependent, p.buffer, q.buffer, unrelated, later]) b.free(t);
      expect(b.memory().allocatedBytes).toBe(base);
    });

    it('a fault no read raised is raised once by the next synchronize, naming the op', async () => {
      gatherOutOfRange();
      await expect(b.synchronize()).rejects.toThrow(GATHER_ERROR);
      await expect(b.synchronize()).resolves.toBeUndefined();
      expect(await read(up('float32', [5]))).toEqual([5]);
    });

    it('scatterAdd: an index out of range, negative or too large', async () => {
      const ones = up('float32', [1, 1]);
      const tooLarge = b.scatterAdd([3], 0, up('int32', [0, 5]), ones);
      const negative = b.scatterAdd([3], 0, up('int64', [-1, 0]), ones);
      const fine = b.scatterAdd([3], 0, up('int64', [2, 2]), ones);
      await expect(b.read(tooLarge, 'float32', 3)).rejects.toThrow('scatterAdd: index 5 is out of bounds for dimension 0 with size 3');
      await expect(b.read(negative, 'float32', 3)).rejects.toThrow('scatterAdd: index -1 is out of bounds for dimension 0 with size 3');
      expect(await read(view(fine, [3]))).toEqual([0, 0, 2]);
    });

    it('the window kernels (pooling winners, convolution products): a read outside the input fails their result', async () => {
      const x = { buffer: b.upload(Float32Array.from([1, 5, 2, 4]), 'float32'), view: contiguousView([1, 4]), dtype: 'float32' as const };
      const reads = (values: number[], shape: number[]) => ({ buffer: b.upload(BigInt64Array.from(values, BigInt), 'int64'), view: contiguousView(shape), dtype: 'int64' as const });
      const winners = b.windowArgmax(x, reads([0, 1, 2, 7], [1, 4]), 2);
      await expect(b.read(winners, 'int64', 2)).rejects.toThrow('windowArgmax: index 7 is out of bounds for dimension 1 with size 4');
      const fine = b.windowArgmax(x, reads([0, 1, 2, 3], [1, 4]), 2);
      expect(await read(fine)).toEqual([1, 3]);
      const weight = { buffer: b.upload(Float32Array.from([1, 1]), 'float32'), view: contiguousView([1, 1, 2]), dtype: 'float32' as const };
      const product = b.unfoldMatmul(weight, x, reads([0, 9], [2]), null);
      await expect(b.read(product, 'float32', 1)).rejects.toThrow('unfoldMatmul: index 9 is out of bounds for dimension 1 with size 4');
      expect(await read(b.unfoldMatmul(weight, x, reads([1, 3], [2]), null))).toEqual([9]);
    });

    it('the fused recurrent cells: a failed gate fails every output, and their backward; a clean cell reads on', async () => {
      const gates = (values: number[] | GpuBuffer, width: number) => view(Array.isArray(values) ? b.upload(Float32Array.from(values), 'float32') : values, [1, width]);
      const failed = (count: number) => b.gather(up('float32', [1, 2, 3]), 0, up('int64', [10, ...new Array<number>(count - 1).fill(0)]));
      const state = gates([0.5], 1);
      const [hy, cy, workspace] = b.lstmCell(gates(failed(4), 4), gates([0.1, 0.2, 0.3, 0.4], 4), state);
      for (const out of [hy, cy, workspace]) await expect(read(out)).rejects.toThrow(GATHER_ERROR);
      const [dGates, dCx] = b.lstmCellBackward(null, gates(cy, 1), state, gates(cy, 1), gates(workspace, 4));
      for (const out of [dGates, dCx]) await expect(read(out)).rejects.toThrow(GATHER_ERROR);
      const [gruHy, gruWorkspace] = b.gruCell(gates([0.1, 0.2, 0.3], 3), gates(failed(3), 3), state);
      for (const out of [gruHy, gruWorkspace, ...b.gruCellBackward(gates([1], 1), gates(gruWorkspace, 5))]) await expect(read(out)).rejects.toThrow(GATHER_ERROR);
      const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
      const c = sigmoid(0.4) * 0.5 + sigmoid(0.2) * Math.tanh(0.6);
      const [fine] = b.lstmCell(gates([0.1, 0.2, 0.3, 0.4], 4), gates([0.1, 0.2, 0.3, 0.4], 4), state);
      expect((await read(fine))[0]).toBeCloseTo(sigmoid(0.8) * Math.tanh(c), 6);
    });

    it('cross-entropy: a target out of range fails the loss; a softmax of the same logits reads on', async () => {
      const logits = view(b.upload(Float32Array.of(0, 0, 0, 1, 2, 3), 'float32'), [2, 3]);
      const loss = b.crossEntropy(logits, up('int64', [0, 3]));
      const probabilities = b.softmax(logits, false);
      await expect(b.read(loss, 'float32', 2)).rejects.toThrow(new RangeError('crossEntropy: Target 3 is out of bounds.'));
      const p = await read(view(probabilities, [6]));
      expect(p[0]).toBeCloseTo(1 / 3, 6);
      expect(p[5]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    });

    it('int64 overflow fails the op that overflowed, not the int64 ops beside it', async () => {
      const wrapped = b.binary('add', up('int64', [2 ** 31 - 1]), up('int64', [1]));
      const fine = b.binary('add', up('int64', [2 ** 31 - 2]), up('int64', [1]));
      expect(await read(view(fine, [1], 'int64'))).toEqual([2 ** 31 - 1]);
      await expect(b.read(wrapped, 'int64', 1)).rejects.toThrow(/^int64 overflow on the WebGPU device: a result of add is outside/);
    });
  });

  describe('writes from a failed tensor', () => {
    it('an optimizer step with a failed gradient fails the weights; a clean step beside it updates; a whole overwrite recovers', async () => {
      const param = up('float32', [1, 1]);
      const clean = up('float32', [1, 1]);
      b.sgdUpdate(param.buffer, gatherOutOfRange(), null, 2, SGD);
      b.sgdUpdate(clean.buffer, b.upload(Float32Array.of(2, 4), 'float32'), null, 2, SGD);
      await expect(b.read(param.buffer, 'float32', 2)).rejects.toThrow(GATHER_ERROR);
      expect(await read(clean)).toEqual([0, -1]);
      b.copy(up('float32', [3, 4]), param); // e.g. load_state_dict: every element rewritten
      expect(await read(param)).toEqual([3, 4]);
    });

    it('Adam: the parameter and its moment buffers fail together', async () => {
      const [param, m, v] = [up('float32', [1, 1]), up('float32', [0, 0]), up('float32', [0, 0])];
      const h = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false, step: 1 };
      b.adamUpdate(param.buffer, gatherOutOfRange(), m.buffer, v.buffer, null, 2, h);
      for (const t of [param, m, v]) await expect(read(t)).rejects.toThrow(GATHER_ERROR);
    });

    it('a write into part of a tensor keeps its failure; a write over all of it clears it', async () => {
      const dst = up('float32', [0, 0, 0, 0]);
      b.copy(view(gatherOutOfRange(), [2]), view(dst.buffer, [2]));
      await expect(read(dst)).rejects.toThrow(GATHER_ERROR);
      b.fill({ buffer: dst.buffer, view: { shape: [2], strides: [1], offset: 2 }, dtype: 'float32' }, 5);
      await expect(read(dst)).rejects.toThrow(GATHER_ERROR);
      b.fill(dst, 7);
      expect(await read(dst)).toEqual([7, 7, 7, 7]);
    });
  });

  describe('a batch the device rejects fails its ops\' results, named, not a later op', () => {
    it('a kernel reading a destroyed buffer: its batch raises a validation error at their reads', { timeout: 120_000 }, async () => {
      await b.synchronize();
      // A tensor big enough for a buffer of its own (not a slab shared with other tensors), then destroyed.
      const n = 4 * 1024 * 1024 + 1;
      const lost = b.alloc(n, 'float32');
      b.fill(view(lost, [n]), 1);
      await b.synchronize();
      lost.block.buffer.destroy();
      const negated = b.unary('neg', view(lost, [n]));
      const max = b.reduce('max', view(negated, [n]), 1);
      const error = /^webgpu: validation error in the batch of ops \[neg, max, read\]; none of the batch's ops ran/;
      await expect(b.read(max, 'float32', 1)).rejects.toThrow(error);
      expect(await read(b.binary('add', up('float32', [1]), up('float32', [2])))).toEqual([3]);
      await expect(b.read(b.unary('abs', view(max, [])), 'float32', 1)).rejects.toThrow(error);
      await expect(b.synchronize()).resolves.toBeUndefined();
      for (const t of [lost, negated, max]) b.free(t);
    });
  });
});
