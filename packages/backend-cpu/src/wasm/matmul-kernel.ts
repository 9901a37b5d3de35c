import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/** Register tile: 4 rows of A by 8 columns of B (two f32x4), 8 accumulators, which fit x64's 16 vector registers. */
export const TILE_M = 4;
export const TILE_N = 8;

/**
 * `matmul(ap, bp, cp, mt, np, kc, aStride, bStride, ldc)`: C += A · B over packed, zero-padded operands (byte
 * addresses in the imported memory). A is packed in row tiles, each `[kc][4]` floats, `aStride` bytes apart; B in
 * column panels, each `[kc][8]` floats, `bStride` bytes apart; C is row-major with `ldc` bytes per row. Padding
 * leaves the kernel without edge cases, and accumulating into C lets the caller split k into cache-sized blocks.
 */
export function matmulKernelBytes(fma: boolean, memory: { shared: boolean } = { shared: false }): Uint8Array {
  const [ap, bp, cp, mt, np, kc, aStride, bStride, ldc] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, j, q, aPtr, bPtr, cPtr] = [9, 10, 11, 12, 13, 14];
  const acc = (r: number, half: number): number => 15 + 2 * r + half;
  const [b0, b1, av] = [23, 24, 25];
  const c = new Code();
  const addTo = (local: number, by: number): void => {
    c.get(local).i32(by).emit(op.i32Add).set(local);
  };

  c.i32(0).set(i).emit(op.loop, blockVoid);
  c.i32(0).set(j).emit(op.loop, blockVoid);
  // Tile pointers: A's row tile i, B's column panel j, C's 4x8 block.
  c.get(ap).get(i).get(aStride).emit(op.i32Mul, op.i32Add).set(aPtr);
  c.get(bp).get(j).get(bStride).emit(op.i32Mul, op.i32Add).set(bPtr);
  const cTile = (): void => {
    c.get(cp).get(i).get(ldc).emit(op.i32Mul).i32(TILE_M).emit(op.i32Mul, op.i32Add);
    c.get(j).i32(TILE_N * 4).emit(op.i32Mul, op.i32Add).set(cPtr);
  };
  const nextCRow = (): void => {
    c.get(cPtr).get(ldc).emit(op.i32Add).set(cPtr);
  };
  cTile();
  for (let r = 0; r < TILE_M; r++) {
    for (let h = 0; h < 2; h++) c.get(cPtr).simdMem(simdOp.v128Load, 4, h * 16).set(acc(r, h));
    nextCRow();
  }
  c.get(kc).set(q).emit(op.loop, blockVoid);
  c.get(bPtr).simdMem(simdOp.v128Load, 4, 0).set(b0);
  c.get(bPtr).simdMem(simdOp.v128Load, 4, 16).set(b1);
  for (let r = 0; r < TILE_M; r++) {
    c.get(aPtr).simdMem(simdOp.v128Load32Splat, 2, r * 4).set(av);
    for (let h = 0; h < 2; h++) {
      const b = h === 0 ? b0 : b1;
      if (fma) c.get(av).get(b).get(acc(r, h)).simd(simdOp.f32x4RelaxedMadd).set(acc(r, h));
      else c.get(acc(r, h)).get(av).get(b).simd(simdOp.f32x4Mul).simd(simdOp.f32x4Add).set(acc(r, h));
    }
  }
  addTo(aPtr, TILE_M * 4);
  addTo(bPtr, TILE_N * 4);
  c.get(q).i32(1).emit(op.i32Sub).tee(q).emit(op.brIf, 0, op.end);
  cTile();
  for (let r = 0; r < TILE_M; r++) {
    for (let h = 0; h < 2; h++) c.get(cPtr).get(acc(r, h)).simdMem(simdOp.v128Store, 4, h * 16);
    nextCRow();
  }
  c.get(j).i32(1).emit(op.i32Add).tee(j).get(np).emit(op.i32LtU, op.brIf, 0, op.end);
  c.get(i).i32(1).emit(op.i32Add).tee(i).get(mt).emit(op.i32LtU, op.brIf, 0, op.end);

  return moduleBytes({
    name: 'matmul',
    params: new Array<number>(9).fill(valType.i32),
    locals: [
      [6, valType.i32],
      [11, valType.v128],
    ],
    code: c,
  }, memory);
}
