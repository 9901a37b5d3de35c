import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/** Register tile: 4 rows of A by 8 columns of B (two f32x4), 8 accumulators, which fit x64's 16 vector registers. */
export const TILE_M = 4;
export const TILE_N = 8;

/**
 * How A's tiles hold their 4 rows: 'tiles' with a step's 4 floats together (packed `[k][4]`, or a column-major A
 * read in place), 'rowMajor' for a row-major A read in place, each row `aTile / 4` bytes after the one before.
 */
/**
 * B's panels per column block (N_BLOCK * 8 columns). With k blocks of 128 steps a block of B is 128 KB, which stays
 * in L2 while every row tile of A passes over it; without it a wide B (conv's [150, 6400] columns) streamed from
 * memory once per row tile.
 */
export const N_BLOCK = 32;

export type ALayout = 'tiles' | 'rowMajor';

/**
 * `matmul(ap, bp, cp, mt, nt, k, aTile, bPanel, ldc, aStep, bStep, kBlock, items, aItem, bItem, cItem)`: for each
 * of `items` batch items (A, B and C `aItem`, `bItem` and `cItem` bytes after the previous item's), C = A · B at byte addresses in the
 * imported memory, over `mt` row tiles of A (4 rows each) and `nt` column panels of B (8 columns each). A's tiles
 * are `aTile` bytes apart; at each of the k steps a tile's 4 floats lie together, and the next step's are `aStep`
 * bytes on (16 when A is packed `[k][4]`; a column-major A is read in place). B's panels likewise, `bPanel` bytes
 * apart, `bStep` bytes per step (32 when packed; a row-major B is read in place). C is row-major, `ldc` bytes per
 * row. Columns run in blocks of N_BLOCK panels and k in blocks of `kBlock` steps, so a block of B stays in cache across A's tiles; the first block
 * overwrites C and later ones accumulate, so C needs no zeroing, and one call does the whole product (one hand-off
 * to each worker thread). Rows and columns past the matrix are padding whose values only reach C's padding, so
 * the kernel has no edge cases.
 */
export function matmulKernelBytes(fma: boolean, memory: { shared: boolean } = { shared: false }, aLayout: ALayout = 'tiles'): Uint8Array {
  const [ap, bp, cp, mt, nt, k, aTile, bPanel, ldc, aStep, bStep, kBlock] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [items, aItem, bItem, cItem] = [12, 13, 14, 15];
  const [i, j, q, aPtr, bPtr, cPtr, q0, kc] = [16, 17, 18, 19, 20, 21, 22, 23];
  const acc = (r: number, half: number): number => 24 + 2 * r + half;
  const [b0, b1, av] = [32, 33, 34];
  // Row-major A: row r of a tile is `rowBytes` (a quarter of aTile) after row 0; one pointer per row.
  const [rowBytes, a1, a2, a3] = [35, 36, 37, 38];
  const [jb, jEnd] = [39, 40];
  const rowPtr = (r: number): number => (r === 0 ? aPtr : [a1, a2, a3][r - 1] ?? aPtr);
  const rowMajor = aLayout === 'rowMajor';
  const c = new Code();
  if (rowMajor) c.get(aTile).i32(2).emit(op.i32ShrU).set(rowBytes);
  const addTo = (local: number, byLocal: number): void => {
    c.get(local).get(byLocal).emit(op.i32Add).set(local);
  };

  // Batch items, one after another (a worker takes several per call instead of one call each).
  c.emit(op.loop, blockVoid);
  // Column blocks of N_BLOCK panels, outermost within an item: a k-block of B's panels in one block stays in L2 across A's tiles.
  c.i32(0).set(jb).emit(op.loop, blockVoid);
  // jEnd = min(jb + N_BLOCK, nt)
  c.get(jb).i32(N_BLOCK).emit(op.i32Add).get(nt).get(jb).i32(N_BLOCK).emit(op.i32Add).get(nt).emit(op.i32LtU, op.select).set(jEnd);
  c.i32(0).set(q0).emit(op.loop, blockVoid);
  // kc = min(kBlock, k - q0)
  c.get(kBlock).get(k).get(q0).emit(op.i32Sub).get(kBlock).get(k).get(q0).emit(op.i32Sub, op.i32LtU, op.select).set(kc);
  c.i32(0).set(i).emit(op.loop, blockVoid);
  c.get(jb).set(j).emit(op.loop, blockVoid);
  // Tile pointers at step q0: A's row tile i, B's column panel j; C's 4x8 block.
  c.get(ap).get(i).get(aTile).emit(op.i32Mul, op.i32Add).get(q0).get(aStep).emit(op.i32Mul, op.i32Add).set(aPtr);
  if (rowMajor) for (let r = 1; r < TILE_M; r++) c.get(aPtr).get(rowBytes).i32(r).emit(op.i32Mul, op.i32Add).set(rowPtr(r));
  c.get(bp).get(j).get(bPanel).emit(op.i32Mul, op.i32Add).get(q0).get(bStep).emit(op.i32Mul, op.i32Add).set(bPtr);
  const cTile = (): void => {
    c.get(cp).get(i).get(ldc).emit(op.i32Mul).i32(TILE_M).emit(op.i32Mul, op.i32Add);
    c.get(j).i32(TILE_N * 4).emit(op.i32Mul, op.i32Add).set(cPtr);
  };
  const nextCRow = (): void => {
    c.get(cPtr).get(ldc).emit(op.i32Add).set(cPtr);
  };
  c.get(q0).emit(op.i32Eqz, op.if, blockVoid);
  for (let r = 0; r < TILE_M; r++) for (let h = 0; h < 2; h++) c.v128Zero().set(acc(r, h));
  c.emit(op.else);
  cTile();
  for (let r = 0; r < TILE_M; r++) {
    for (let h = 0; h < 2; h++) c.get(cPtr).simdMem(simdOp.v128Load, 4, h * 16).set(acc(r, h));
    nextCRow();
  }
  c.emit(op.end);
  c.get(kc).set(q).emit(op.loop, blockVoid);
  c.get(bPtr).simdMem(simdOp.v128Load, 4, 0).set(b0);
  c.get(bPtr).simdMem(simdOp.v128Load, 4, 16).set(b1);
  for (let r = 0; r < TILE_M; r++) {
    if (rowMajor) c.get(rowPtr(r)).simdMem(simdOp.v128Load32Splat, 2, 0).set(av);
    else c.get(aPtr).simdMem(simdOp.v128Load32Splat, 2, r * 4).set(av);
    for (let h = 0; h < 2; h++) {
      const b = h === 0 ? b0 : b1;
      if (fma) c.get(av).get(b).get(acc(r, h)).simd(simdOp.f32x4RelaxedMadd).set(acc(r, h));
      else c.get(acc(r, h)).get(av).get(b).simd(simdOp.f32x4Mul).simd(simdOp.f32x4Add).set(acc(r, h));
    }
  }
  addTo(aPtr, aStep);
  if (rowMajor) for (let r = 1; r < TILE_M; r++) addTo(rowPtr(r), aStep);
  addTo(bPtr, bStep);
  c.get(q).i32(1).emit(op.i32Sub).tee(q).emit(op.brIf, 0, op.end);
  cTile();
  for (let r = 0; r < TILE_M; r++) {
    for (let h = 0; h < 2; h++) c.get(cPtr).get(acc(r, h)).simdMem(simdOp.v128Store, 4, h * 16);
    nextCRow();
  }
  c.get(j).i32(1).emit(op.i32Add).tee(j).get(jEnd).emit(op.i32LtU, op.brIf, 0, op.end);
  c.get(i).i32(1).emit(op.i32Add).tee(i).get(mt).emit(op.i32LtU, op.brIf, 0, op.end);
  c.get(q0).get(kBlock).emit(op.i32Add).tee(q0).get(k).emit(op.i32LtU, op.brIf, 0, op.end);
  c.get(jEnd).tee(jb).get(nt).emit(op.i32LtU, op.brIf, 0, op.end);
  addTo(ap, aItem);
  addTo(bp, bItem);
  addTo(cp, cItem);
  c.get(items).i32(1).emit(op.i32Sub).tee(items).emit(op.brIf, 0, op.end);

  return moduleBytes({
    name: 'matmul',
    params: new Array<number>(16).fill(valType.i32),
    locals: [
      [8, valType.i32],
      [11, valType.v128],
      [6, valType.i32],
    ],
    code: c,
  }, memory);
}
