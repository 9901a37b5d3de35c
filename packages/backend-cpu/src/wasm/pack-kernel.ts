import { TILE_N } from './matmul-kernel.js';
import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/** i32x4 lanes of a shuffle of two vectors (0-3 from the first, 4-7 from the second), as i8x16.shuffle's 16 bytes. */
function lanes(...picks: number[]): number[] {
  return picks.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3]);
}

/**
 * `pack(src, ld, dst, panels, k4)`: B's column panels from a column-major copy of B (column c's k floats start at
 * `src + c * ld` bytes) into the `[k][8]` tiles the matmul kernel reads, `panels` panels one after another from
 * `dst`, each `k4 * 4` steps (k rounded up to 4; the steps past k hold the next column's floats, never read). Four steps of eight columns at a time:
 * eight vector loads, two 4x4 transposes, eight vector stores. Threads pack disjoint panel ranges in parallel.
 */
export function packKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, ld, dst, panels, k4] = [0, 1, 2, 3, 4];
  const [j, q, col, out] = [5, 6, 7, 8];
  const row = (c: number): number => 9 + c; // v128: the 4 steps of column c
  const [t0, t1, t2, t3] = [17, 18, 19, 20];
  const c = new Code();
  c.get(dst).set(out);
  c.get(panels).set(j).emit(op.loop, blockVoid);
  c.get(k4).set(q).get(src).set(col).emit(op.loop, blockVoid);
  // Four steps of the panel's eight columns.
  for (let k = 0; k < TILE_N; k++) {
    c.get(col).get(ld).i32(k).emit(op.i32Mul, op.i32Add).simdMem(simdOp.v128Load, 0, 0).set(row(k));
  }
  for (const half of [0, 1]) {
    const r = (i: number): number => row(4 * half + i);
    c.get(r(0)).get(r(1)).shuffle(lanes(0, 4, 1, 5)).set(t0);
    c.get(r(0)).get(r(1)).shuffle(lanes(2, 6, 3, 7)).set(t1);
    c.get(r(2)).get(r(3)).shuffle(lanes(0, 4, 1, 5)).set(t2);
    c.get(r(2)).get(r(3)).shuffle(lanes(2, 6, 3, 7)).set(t3);
    // Step s's four columns go to dst + s * 32 bytes, this half's 16 bytes in.
    const store = (s: number, a: number, b: number, picks: number[]): void => {
      c.get(out).get(a).get(b).shuffle(lanes(...picks)).simdMem(simdOp.v128Store, 0, s * 32 + half * 16);
    };
    store(0, t0, t2, [0, 1, 4, 5]);
    store(1, t0, t2, [2, 3, 6, 7]);
    store(2, t1, t3, [0, 1, 4, 5]);
    store(3, t1, t3, [2, 3, 6, 7]);
  }
  c.get(col).i32(16).emit(op.i32Add).set(col);
  c.get(out).i32(4 * 32).emit(op.i32Add).set(out);
  c.get(q).i32(1).emit(op.i32Sub).tee(q).emit(op.brIf, 0, op.end);
  c.get(src).get(ld).i32(TILE_N).emit(op.i32Mul, op.i32Add).set(src);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0, op.end);
  return moduleBytes(
    {
      name: 'pack',
      params: new Array<number>(5).fill(valType.i32),
      locals: [
        [4, valType.i32],
        [12, valType.v128],
      ],
      code: c,
    },
    memory,
  );
}
