import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/**
 * `rowBias(ptr, bias, rows, rowVecs, rowStride, blocks, blockStride)`: adds the float `bias[r]` to the first
 * `4 * rowVecs` floats of each of `rows` rows (`rowStride` bytes apart from `ptr`), in each of `blocks` blocks
 * (`blockStride` bytes apart): a convolution's per-channel bias on its padded product, before the rows are
 * compacted. Each float rounds once, as a separate float32 add does. All counts are at least 1.
 */
export function rowBiasKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [ptr, bias, rows, rowVecs, rowStride, blocks, blockStride] = [0, 1, 2, 3, 4, 5, 6];
  const [row, b, r, q, n] = [7, 8, 9, 10, 11];
  const value = 12;
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(ptr).set(row).get(bias).set(b).get(rows).set(r);
  c.emit(op.loop, blockVoid);
  c.get(b).simdMem(simdOp.v128Load32Splat, 2, 0).set(value);
  c.get(row).set(q).get(rowVecs).set(n);
  c.emit(op.loop, blockVoid);
  c.get(q).get(q).simdMem(simdOp.v128Load, 2, 0).get(value).simd(simdOp.f32x4Add).simdMem(simdOp.v128Store, 2, 0);
  c.get(q).i32(16).emit(op.i32Add).set(q);
  c.get(n).i32(1).emit(op.i32Sub).tee(n).emit(op.brIf, 0, op.end);
  c.get(row).get(rowStride).emit(op.i32Add).set(row);
  c.get(b).i32(4).emit(op.i32Add).set(b);
  c.get(r).i32(1).emit(op.i32Sub).tee(r).emit(op.brIf, 0, op.end);
  c.get(ptr).get(blockStride).emit(op.i32Add).set(ptr);
  c.get(blocks).i32(1).emit(op.i32Sub).tee(blocks).emit(op.brIf, 0, op.end);
  return moduleBytes(
    {
      name: 'rowBias',
      params: new Array<number>(7).fill(valType.i32),
      locals: [
        [5, valType.i32],
        [1, valType.v128],
      ],
      code: c,
    },
    memory,
  );
}
