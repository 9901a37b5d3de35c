import { BINARY_OPS, COMPARISON_OPS, contiguousView, REDUCE_OPS, reduceOutputDType, type BinaryOp, type DType, type HostArray, type Operand, type ReduceOp, type UnaryOp } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { WEBGPU_DTYPES } from '../src/dtypes.js';
import type { GpuBuffer } from '../src/index.js';
import { copyShader, fillShader } from '../src/kernels/copy-fill.js';
import { binaryShader, castShader, unaryShader, whereShader } from '../src/kernels/elementwise.js';
import { gatherShader, scatterAddShader } from '../src/kernels/gather.js';
import { int64ReduceShader } from '../src/kernels/int64-reduce.js';
import { matmulShader } from '../src/kernels/matmul.js';
import { reduceShader } from '../src/kernels/reduce.js';
import { testBackend } from './adapter.js';

/**
 * The WebGPU dtype policy (src/dtypes.ts): float64 refused, int64 as a range-checked int32 whose overflow raises at
 * the next read, and int16/int8/uint8 with PyTorch's wrap-around. Expected values are PyTorch 1.13's (CPU) for
 * the same inputs, copied here.
 */
const backend = await testBackend();

const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);

describe.runIf(backend !== null)('WebGPU dtypes', () => {
  const b = backend as NonNullable<typeof backend>;
  const host: Record<Exclude<DType, 'float64'>, (v: readonly number[]) => HostArray> = {
    float32: (v) => Float32Array.from(v),
    int64: (v) => BigInt64Array.from(v, (x) => BigInt(x)),
    int32: (v) => Int32Array.from(v),
    int16: (v) => Int16Array.from(v),
    int8: (v) => Int8Array.from(v),
    uint8: (v) => Uint8Array.from(v),
    bool: (v) => Uint8Array.from(v),
  };
  const up = (dtype: Exclude<DType, 'float64'>, values: readonly number[], shape: readonly number[] = [values.length]): Operand<GpuBuffer> => ({
    buffer: b.upload(host[dtype](values), dtype),
    view: contiguousView(shape),
    dtype,
  });
  const read = async (buffer: GpuBuffer, dtype: DType, n: number): Promise<number[]> =>
    Array.from((await b.read(buffer, dtype, n)) as ArrayLike<number | bigint>, (v) => Number(v));
  const unary = (op: UnaryOp, x: Operand<GpuBuffer>) => read(b.unary(op, x), x.dtype, x.view.shape[0]);
  const binary = (op: BinaryOp, x: Operand<GpuBuffer>, y: Operand<GpuBuffer>, out: DType = x.dtype) =>
    read(b.binary(op, x, y), out, x.view.shape[0]);
  const reduce = (op: ReduceOp, x: Operand<GpuBuffer>) => read(b.reduce(op, x, 1), reduceOutputDType(op, x.dtype), 1);
  const int64 = (values: readonly number[]) => up('int64', values);
  /** Runs `kernel`, then expects the next read to raise the int64 overflow error, and the backend to recover. */
  const overflows = async (kernel: () => GpuBuffer, op: string) => {
    const out = kernel();
    await expect(b.read(out, 'int64', 1)).rejects.toThrow(new RegExp(`int64 overflow on the WebGPU device: a result of [a-zA-Z, ]*${op}`));
    expect(await read(b.upload(BigInt64Array.of(5n), 'int64'), 'int64', 1)).toEqual([5]);
  };

  it('every shader variant of the integer dtypes compiles', async () => {
    const ints: DType[] = ['int64', 'int16', 'int8', 'uint8'];
    const shape = { rank: 2, contiguous: [false, true, false] };
    const sources: [string, string][] = [];
    for (const dtype of ints) {
      const integerUnary: UnaryOp[] = ['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round', 'logicalNot'];
      for (const op of integerUnary) sources.push([`unary ${op} ${dtype}`, unaryShader(op, dtype, shape)]);
      for (const op of BINARY_OPS) sources.push([`binary ${op} ${dtype}`, binaryShader(op, dtype, COMPARISON_OPS.includes(op) ? 'bool' : dtype, shape)]);
      for (const other of WEBGPU_DTYPES) {
        sources.push([`cast ${dtype} to ${other}`, castShader(dtype, other, shape)], [`cast ${other} to ${dtype}`, castShader(other, dtype, shape)]);
      }
      for (const op of REDUCE_OPS) for (const tree of [false, true]) sources.push([`reduce ${op} ${dtype}`, reduceShader(op, dtype, 3, 2, tree)]);
      sources.push(
        [`where ${dtype}`, whereShader(dtype, shape)],
        [`copy ${dtype}`, copyShader(dtype, 2, false, true)],
        [`fill ${dtype}`, fillShader(dtype, 2, false)],
        [`matmul ${dtype}`, matmulShader(dtype)],
        [`gather ${dtype}`, gatherShader(dtype, 2, 1)],
        [`scatterAdd ${dtype}`, scatterAddShader(dtype, 2, 1)],
      );
    }
    for (const dtype of ['int64', 'int32', 'int16', 'int8', 'uint8', 'bool'] as const) {
      for (const op of ['sum', 'prod'] as const) for (const tree of [false, true]) sources.push([`${op} of ${dtype}`, int64ReduceShader(op, dtype, 3, 2, tree)]);
    }
    const boolBinary: BinaryOp[] = ['add', 'mul', 'maximum', 'minimum', ...COMPARISON_OPS];
    for (const op of boolBinary) sources.push([`binary ${op} bool`, binaryShader(op, 'bool', 'bool', shape)]);
    sources.push(['unary sign bool', unaryShader('sign', 'bool', shape)], ['unary logicalNot bool', unaryShader('logicalNot', 'bool', shape)]);
    const failures: string[] = [];
    for (const [name, code] of sources) {
      const info = await b.device.createShaderModule({ code }).getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length > 0) failures.push(`${name}: ${errors[0].message}`);
    }
    expect(failures).toEqual([]);
  });

  describe('float64 is refused', () => {
    it('upload raises the MPS-style TypeError', () => {
      expect(() => b.upload(Float64Array.of(1, 2), 'float64')).toThrow(TypeError);
      expect(() => b.upload(Float64Array.of(1, 2), 'float64')).toThrow(
        "Cannot convert a float64 Tensor to the WebGPU device: WebGPU does not support float64 (WGSL has no 64-bit floats). Please use float32 instead: convert it first, x.float().to('webgpu').",
      );
    });
    it('alloc, cast to float64 and kernels on float64 operands raise', () => {
      expect(() => b.alloc(4, 'float64')).toThrow(/Cannot create a float64 Tensor on the WebGPU device/);
      const x = up('float32', [1, 2]);
      expect(() => b.cast(x, 'float64')).toThrow(/Cannot create a float64 Tensor on the WebGPU device/);
      const fake: Operand<GpuBuffer> = { ...x, dtype: 'float64' };
      expect(() => b.unary('exp', fake)).toThrow('webgpu exp: float64 operands are not supported: WebGPU does not support float64');
      expect(() => b.binary('add', fake, fake)).toThrow(/webgpu add: float64/);
      expect(() => b.reduce('sum', fake, 1)).toThrow(/webgpu sum: float64/);
      expect(() => b.matmul(fake, fake)).toThrow(/webgpu matmul: float64/);
      expect(() => b.fill(fake, 1)).toThrow(/webgpu fill: float64/);
      expect(() => b.copy(fake, x)).toThrow(/webgpu copy: float64/);
      expect(b.dtypes).not.toContain('float64');
    });
  });

  describe('int64 as a checked int32', () => {
    it('round trips values inside int32 as a BigInt64Array', async () => {
      const values = [I32_MIN, -1, 0, 7, I32_MAX];
      const out = await b.read(b.upload(BigInt64Array.from(values, BigInt), 'int64'), 'int64', 5);
      expect(out).toBeInstanceOf(BigInt64Array);
      expect(out).toEqual(BigInt64Array.from(values, BigInt));
      const big = BigInt64Array.of(2n ** 40n, -5n, -(2n ** 31n), 2n ** 31n - 1n); // a subarray at a byte offset
      expect(await b.read(b.upload(big.subarray(1), 'int64'), 'int64', 3)).toEqual(big.subarray(1));
      expect(() => b.upload(big.subarray(0, 2), 'int64')).toThrow(/element 0 .* value 1099511627776/);
    });
    it('upload raises on a value outside int32, naming it', () => {
      expect(() => b.upload(BigInt64Array.of(1n, 2n ** 31n), 'int64')).toThrow(RangeError);
      expect(() => b.upload(BigInt64Array.of(1n, 2n ** 31n), 'int64')).toThrow(
        'Cannot move element 1 of an int64 Tensor to the WebGPU device: int64 value 2147483648 is outside -2147483648..2147483647',
      );
      expect(() => b.upload(BigInt64Array.of(-(2n ** 40n)), 'int64')).toThrow(/int64 value -1099511627776 is outside .* keep tensors with larger values on the CPU/);
      expect(() => b.upload(Int32Array.of(1), 'int64')).toThrow(/must be a BigInt64Array/);
    });
    it('fill raises on a value outside int32', () => {
      const x = int64([0]);
      expect(() => b.fill(x, 2 ** 31)).toThrow(/int64 value 2147483648 is outside/);
    });
    it('arithmetic that stays inside int32 is exact and raises nothing', async () => {
      expect(await binary('add', int64([I32_MAX - 1, I32_MIN]), int64([1, I32_MAX]))).toEqual([I32_MAX, -1]);
      expect(await binary('sub', int64([I32_MIN + 1, -1]), int64([1, I32_MAX]))).toEqual([I32_MIN, I32_MIN]);
      expect(await binary('mul', int64([46341, -65536, -1, 0]), int64([46340, 32768, I32_MAX, I32_MIN]))).toEqual([2147441940, I32_MIN, -I32_MAX, 0]);
      expect(await binary('div', int64([I32_MIN, 7, -7]), int64([1, -2, 0]))).toEqual([I32_MIN, -3, 0]);
      expect(await binary('pow', int64([-2, 2, 3, -1]), int64([31, 30, 19, -3]))).toEqual([I32_MIN, 2 ** 30, 3 ** 19, -1]);
      expect(await unary('neg', int64([I32_MAX, -5]))).toEqual([-I32_MAX, 5]);
      expect(await unary('abs', int64([-I32_MAX, 5]))).toEqual([I32_MAX, 5]);
      expect(await binary('lt', int64([I32_MIN, 3]), int64([I32_MAX, 3]), 'bool')).toEqual([1, 0]);
      expect(await reduce('sum', int64([I32_MAX, 1, -2]))).toEqual([I32_MAX - 1]);
      expect(await read(b.cast(up('float32', [-2147483648, 2147483520, -2.5]), 'int64'), 'int64', 3)).toEqual([I32_MIN, 2147483520, -2]);
      expect(await reduce('argmax', int64([3, I32_MAX, I32_MIN]))).toEqual([1]);
    });
    it('each checked op raises at the next read when its result leaves int32', async () => {
      await overflows(() => b.binary('add', int64([I32_MAX]), int64([1])), 'add');
      await overflows(() => b.binary('sub', int64([I32_MIN]), int64([1])), 'sub');
      await overflows(() => b.binary('mul', int64([65536]), int64([32768])), 'mul');
      await overflows(() => b.binary('mul', int64([-1]), int64([I32_MIN])), 'mul');
      await overflows(() => b.binary('mul', int64([I32_MIN]), int64([-1])), 'mul');
      await overflows(() => b.binary('div', int64([I32_MIN]), int64([-1])), 'div');
      await overflows(() => b.binary('pow', int64([2]), int64([31])), 'pow');
      await overflows(() => b.binary('pow', int64([3]), int64([40])), 'pow'); // PyTorch: -6289078614652622815
      await overflows(() => b.binary('pow', int64([-2]), int64([63])), 'pow'); // PyTorch: -2^63
      await overflows(() => b.unary('neg', int64([I32_MIN])), 'neg');
      await overflows(() => b.unary('abs', int64([I32_MIN])), 'abs');
      await overflows(() => b.cast(up('float32', [3e9]), 'int64'), 'cast');
      await overflows(() => b.cast(up('float32', [NaN]), 'int64'), 'cast');
    });
    it('reductions, matmul and scatterAdd compute in 64 bits: partial results may leave int32, the result may not', async () => {
      await overflows(() => b.reduce('sum', int64([I32_MAX, 1]), 1), 'sum');
      // int32, uint8 and bool sums are int64 in PyTorch: past int32 they raise too, instead of wrapping.
      await overflows(() => b.reduce('sum', up('int32', [I32_MAX, 1]), 1), 'sum');
      await overflows(() => b.reduce('prod', up('uint8', [255, 255, 255, 255]), 1), 'prod');
      expect(await reduce('sum', up('bool', [1, 0, 1, 1]))).toEqual([3]);
      expect(await reduce('sum', int64([I32_MAX, 1, 1, -3]))).toEqual([I32_MAX - 1]);
      expect(await reduce('prod', int64([65536, 32768, -1]))).toEqual([I32_MIN]);
      expect(await reduce('prod', int64([65536, 65536, 0]))).toEqual([0]);
      expect(await reduce('prod', int64([65536, 65536, 65536, 65536]))).toEqual([0]); // PyTorch's int64 wraps at 2^64
      expect(await binary('pow', int64([2, 4]), int64([64, 32]))).toEqual([0, 0]); // as PyTorch: 2^64 wraps to 0 in int64
      const long = Array.from({ length: 1000 }, () => 2 ** 22); // 1000 * 2^22 > 2^31, through the tree reduction
      await overflows(() => b.reduce('sum', up('int64', long, [1, 1000]), 1), 'sum');
      expect(await read(b.reduce('sum', up('int64', long.slice(0, 500), [1, 500]), 1), 'int64', 1)).toEqual([500 * 2 ** 22]);
      await overflows(() => b.reduce('prod', int64([65536, 65536]), 1), 'prod');
      const m = (values: number[]) => ({ ...up('int64', values), view: contiguousView([1, 2, 2]) });
      expect(await read(b.matmul(m([1, 2, 3, 4]), m([5, 6, 7, 8])), 'int64', 4)).toEqual([19, 22, 43, 50]);
      expect(await read(b.matmul(m([65536, 65536, 0, 0]), m([65536, 0, -65536, 0])), 'int64', 4)).toEqual([0, 0, 0, 0]);
      await overflows(() => b.matmul(m([65536, 0, 0, 1]), m([65536, 0, 0, 1])), 'matmul');
      await overflows(() => b.scatterAdd([1], 0, up('int32', [0, 0]), int64([I32_MAX, 1])), 'scatterAdd');
      expect(await read(b.scatterAdd([1], 0, up('int32', [0, 0, 0]), int64([I32_MAX, 1, -2])), 'int64', 1)).toEqual([I32_MAX - 1]);
    });
    it('float32 and int32 kernels bind no overflow check: a read after them is one submit', async () => {
      const x = up('int32', [I32_MAX]);
      const y = b.binary('add', x, x); // int32 wraps, as in PyTorch
      await b.synchronize();
      const before = b.memory().submits;
      expect(await read(y, 'int32', 1)).toEqual([-2]);
      expect(b.memory().submits - before).toBe(1);
    });
  });

  describe('uint8, int8 and int16 wrap as in PyTorch', () => {
    it('uint8 bytes round trip exactly', async () => {
      const bytes = Array.from({ length: 256 }, (_, i) => i);
      const out = await b.read(b.upload(Uint8Array.from(bytes), 'uint8'), 'uint8', 256);
      expect(out).toBeInstanceOf(Uint8Array);
      expect(Array.from(out as Uint8Array)).toEqual(bytes);
      expect(await b.read(b.upload(Int8Array.of(-128, 127), 'int8'), 'int8', 2)).toEqual(Int8Array.of(-128, 127));
      expect(await b.read(b.upload(Int16Array.of(-32768, 32767), 'int16'), 'int16', 2)).toEqual(Int16Array.of(-32768, 32767));
    });
    it('uint8 arithmetic, comparisons, neg and pow', async () => {
      const u = () => up('uint8', [0, 1, 127, 128, 200, 255]);
      const v = () => up('uint8', [255, 255, 1, 128, 100, 2]);
      expect(await binary('add', u(), v())).toEqual([255, 0, 128, 0, 44, 1]);
      expect(await binary('sub', u(), v())).toEqual([1, 2, 126, 0, 100, 253]);
      expect(await binary('mul', u(), v())).toEqual([0, 255, 127, 0, 32, 254]);
      expect(await binary('div', u(), v())).toEqual([0, 0, 127, 1, 2, 127]);
      expect(await binary('lt', u(), v(), 'bool')).toEqual([1, 1, 0, 0, 0, 0]);
      expect(await binary('maximum', u(), v())).toEqual([255, 255, 127, 128, 200, 255]);
      expect(await unary('neg', u())).toEqual([0, 255, 129, 128, 56, 1]);
      expect(await binary('pow', up('uint8', [2, 3, 200]), up('uint8', [8, 5, 2]))).toEqual([0, 243, 64]);
    });
    it('int8 and int16 arithmetic', async () => {
      const a = () => up('int8', [-128, 127, 100, -100, 5]);
      const c = () => up('int8', [-1, 1, 100, -100, -3]);
      expect(await binary('add', a(), c())).toEqual([127, -128, -56, 56, 2]);
      expect(await binary('mul', a(), c())).toEqual([-128, 127, 16, 16, -15]);
      expect(await binary('sub', a(), c())).toEqual([-127, 126, 0, 0, 8]);
      expect(await binary('div', a(), c())).toEqual([-128, 127, 1, 1, -1]);
      expect(await unary('abs', a())).toEqual([-128, 127, 100, 100, 5]);
      expect(await unary('neg', a())).toEqual([-128, -127, -100, 100, -5]);
      const s = up('int16', [32767, -32768, 300, -300]);
      const t = up('int16', [1, -1, 300, 300]);
      expect(await binary('add', s, t)).toEqual([-32768, 32767, 600, 0]);
      expect(await binary('sub', s, t)).toEqual([32766, -32767, 0, -600]);
      expect(await binary('mul', s, t)).toEqual([32767, -32768, 24464, -24464]);
    });
    it('casts keep the low bits, floats through int32 as PyTorch on x86', async () => {
      const x = () => up('float32', [300, -1, 3e9, NaN, 255.9, -128.5, 40000, -40000]);
      expect(await read(b.cast(x(), 'uint8'), 'uint8', 8)).toEqual([44, 255, 0, 0, 255, 128, 64, 192]);
      expect(await read(b.cast(x(), 'int8'), 'int8', 8)).toEqual([44, -1, 0, 0, -1, -128, 64, -64]);
      expect(await read(b.cast(x(), 'int16'), 'int16', 8)).toEqual([300, -1, 0, 0, 255, -128, -25536, 25536]);
      expect(await read(b.cast(up('uint8', [200, 3]), 'int8'), 'int8', 2)).toEqual([-56, 3]);
      expect(await read(b.cast(up('int8', [-1, -128]), 'uint8'), 'uint8', 2)).toEqual([255, 128]);
      expect(await read(b.cast(up('int32', [70000, -1]), 'int16'), 'int16', 2)).toEqual([4464, -1]);
      expect(await read(b.cast(up('int32', [70000, 511]), 'uint8'), 'uint8', 2)).toEqual([112, 255]);
      expect(await read(b.cast(up('uint8', [0, 200]), 'bool'), 'bool', 2)).toEqual([0, 1]);
      expect(await read(b.cast(up('uint8', [255, 7]), 'int64'), 'int64', 2)).toEqual([255, 7]);
    });
    it('sum and prod (int64, as PyTorch), max, argmax, matmul, scatterAdd, fill, gather and where', async () => {
      expect(await reduce('sum', up('uint8', [200, 100, 250]))).toEqual([550]);
      expect(await reduce('prod', up('uint8', [200, 100, 250]))).toEqual([5000000]);
      expect(await reduce('sum', up('int8', [100, 100, 100, -128]))).toEqual([172]);
      expect(await reduce('sum', up('int16', [32767, 32767]))).toEqual([65534]);
      expect(await reduce('max', up('uint8', [3, 255, 7]))).toEqual([255]);
      expect(await reduce('min', up('int8', [3, -128, 7]))).toEqual([-128]);
      expect(await reduce('argmax', up('uint8', [3, 255, 7]))).toEqual([1]);
      const m = { ...up('uint8', [16, 16, 1, 2]), view: contiguousView([1, 2, 2]) };
      expect(await read(b.matmul(m, m), 'uint8', 4)).toEqual([16, 32, 18, 20]);
      expect(await read(b.scatterAdd([1], 0, up('int32', [0, 0]), up('uint8', [200, 100])), 'uint8', 1)).toEqual([44]);
      const f = up('uint8', [0, 0]);
      b.fill(f, 300);
      expect(await read(f.buffer, 'uint8', 2)).toEqual([44, 44]);
      expect(await read(b.gather(up('uint8', [10, 250, 30]), 0, up('int32', [1, 2, 1])), 'uint8', 3)).toEqual([250, 30, 250]);
      expect(await read(b.where(up('bool', [1, 0]), up('int8', [-1, -2]), up('int8', [5, 6])), 'int8', 2)).toEqual([-1, 6]);
    });
  });
});
