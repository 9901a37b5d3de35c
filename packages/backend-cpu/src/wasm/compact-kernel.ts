import { blockVoid, Code, moduleBytes, op, valType } from './wasm-bytes.js';

/**
 * `compact(ptr, rows, fromRow, toRow)`: rows of `toRow` bytes, now `fromRow` bytes apart from `ptr` (a matmul
 * result's rows, padded to whole 8-column panels), moved to lie `toRow` bytes apart, so one copy takes the whole
 * result out. A JS copy per row cost more than the rows themselves for a convolution's 150 x 100 products.
 * Rows move towards `ptr` in order, so no row is overwritten before it moves. `rows` is at least 1.
 */
export function compactKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [ptr, rows, fromRow, toRow] = [0, 1, 2, 3];
  const [src, dst] = [4, 5];
  const c = new Code();
  c.get(ptr).tee(src).set(dst);
  c.emit(BLOCK, blockVoid, op.loop, blockVoid);
  // Row 0 stays; rows 1.. move.
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.i32Eqz, op.brIf, 1);
  c.get(src).get(fromRow).emit(op.i32Add).set(src);
  c.get(dst).get(toRow).emit(op.i32Add).set(dst);
  c.get(dst).get(src).get(toRow).emit(...MEMORY_COPY);
  c.emit(BR, 0, op.end, op.end);
  return moduleBytes({ name: 'compact', params: new Array<number>(4).fill(valType.i32), locals: [[2, valType.i32]], code: c }, memory);
}

const BLOCK = 0x02;
const BR = 0x0c;

/** memory.copy within memory 0 (the bulk-memory proposal, in every runtime with SIMD). */
const MEMORY_COPY = [0xfc, 10, 0, 0];
