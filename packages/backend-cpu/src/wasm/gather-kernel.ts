import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/**
 * Wasm kernels for gather and scatter-add along the last dim of row blocks: what convolution's im2col and its
 * gradient (col2im), pooling and embedding lookups lower to: without the JS loop's bounds checks, the gather's runs of
 * consecutive indices moved as vectors, and rows split across threads. Indices are int32, checked before the call.
 */

/** Opcodes beyond `op` and `simdOp` that only the gather uses. */
const BLOCK = 0x02;
const BR = 0x0c;
const I32X4_EQ = 0x37;
const I32X4_ALL_TRUE = 0xa3;
const I32X4_ADD = 0xae;

/**
 * `gather(src, srcRow, idx, idxRow, out, width, rows, outRow)`: for `rows` rows, `out[j] = src[idx[j]]` over
 * `width` floats, then src, idx and out move on by `srcRow`, `idxRow` (0 for one index row shared by all) and
 * `outRow` bytes. `width` and `rows` are at least 1. Where four indices in a row are consecutive (im2col's reads
 * along an output row, away from the padding), the four floats move as one vector: SIMD128 has no gather, but
 * convolution's windows are mostly such runs.
 */
export function gatherKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, srcRow, idx, idxRow, out, width, rows, outRow] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [j, ip, op_, first] = [8, 9, 10, 11];
  const c = new Code();
  c.emit(op.loop, blockVoid); // rows
  c.get(idx).set(ip).get(out).set(op_).get(width).set(j);
  c.emit(BLOCK, blockVoid); // $done: the row's entries are all out
  c.emit(op.loop, blockVoid); // $next entry (or run of four)
  c.emit(BLOCK, blockVoid); // $scalar: not a run of four
  c.get(j).i32(4).emit(op.i32LtU, op.brIf, 0);
  c.get(ip).mem(op.i32Load, 2, 0).set(first);
  // The four indices equal first + (0, 1, 2, 3)?
  c.get(ip).simdMem(simdOp.v128Load, 2, 0);
  c.get(first).simd(simdOp.i32x4Splat).simd(simdOp.v128Const).emit(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0).simd(I32X4_ADD);
  c.simd(I32X4_EQ).simd(I32X4_ALL_TRUE).emit(op.i32Eqz, op.brIf, 0);
  c.get(op_).get(src).get(first).i32(2).emit(op.i32Shl, op.i32Add).simdMem(simdOp.v128Load, 2, 0).simdMem(simdOp.v128Store, 2, 0);
  c.get(ip).i32(16).emit(op.i32Add).set(ip);
  c.get(op_).i32(16).emit(op.i32Add).set(op_);
  c.get(j).i32(4).emit(op.i32Sub).tee(j).emit(op.brIf, 1); // more entries: the loop again
  c.emit(BR, 2); // the row is done
  c.emit(op.end); // $scalar: one entry
  c.get(op_).get(src).get(ip).mem(op.i32Load, 2, 0).i32(2).emit(op.i32Shl, op.i32Add).mem(op.f32Load, 2, 0).mem(op.f32Store, 2, 0);
  c.get(ip).i32(4).emit(op.i32Add).set(ip);
  c.get(op_).i32(4).emit(op.i32Add).set(op_);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0);
  c.emit(op.end); // $next
  c.emit(op.end); // $done
  c.get(src).get(srcRow).emit(op.i32Add).set(src);
  c.get(idx).get(idxRow).emit(op.i32Add).set(idx);
  c.get(out).get(outRow).emit(op.i32Add).set(out);
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'gather', params: new Array<number>(8).fill(valType.i32), locals: [[4, valType.i32]], code: c }, memory);
}

/**
 * `scatterAdd(src, srcRow, idx, idxRow, out, width, rows, outRow)`: for `rows` rows, `out[idx[j]] += src[j]` over
 * `width` floats in index order (float32 additions, as the JS loop's rounded double sums are), then src, idx and
 * out move on by `srcRow`, `idxRow` (0 for a shared index row) and `outRow` bytes. `width` and `rows` are at least 1.
 */
export function scatterAddKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, srcRow, idx, idxRow, out, width, rows, outRow] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [j, ip, sp, at] = [8, 9, 10, 11];
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(idx).set(ip).get(src).set(sp).get(width).set(j);
  c.emit(op.loop, blockVoid);
  c.get(out).get(ip).mem(op.i32Load, 2, 0).i32(2).emit(op.i32Shl, op.i32Add).set(at);
  c.get(at).get(at).mem(op.f32Load, 2, 0).get(sp).mem(op.f32Load, 2, 0).emit(op.f32Add).mem(op.f32Store, 2, 0);
  c.get(ip).i32(4).emit(op.i32Add).set(ip);
  c.get(sp).i32(4).emit(op.i32Add).set(sp);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0, op.end);
  c.get(src).get(srcRow).emit(op.i32Add).set(src);
  c.get(idx).get(idxRow).emit(op.i32Add).set(idx);
  c.get(out).get(outRow).emit(op.i32Add).set(out);
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'scatterAdd', params: new Array<number>(8).fill(valType.i32), locals: [[4, valType.i32]], code: c }, memory);
}

/** Windows per step of the window-argmax kernel: one per f32x4 lane. */
export const WINDOW_LANES = 4;

/**
 * `windowArgmax(src, srcRow, idx, idxRow, out, groups, window, rows)`: for `rows` rows and each of `groups` groups
 * of 4 windows (runs of `window` int32 entries of idx, one window per lane), the entry whose float `src[entry]` is
 * the first largest (NaN the largest, the first NaN winning), stored as int32 at out; then src and idx move on by
 * `srcRow` and `idxRow` bytes. Lane masks pick the winners, not branches: pooling windows after a ReLU tie often
 * and at random, which branches mispredict (scalar code with `select` ran 2.3x slower on such data than on sorted).
 * All counts are at least 1.
 */
export function windowArgmaxKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, srcRow, idx, idxRow, out, groups, window, rows] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [g, j, ip, stride, entry] = [8, 9, 10, 11, 12];
  const lanePtr = (lane: number): number => 13 + lane; // where lane's window reads its next entry
  const [best, at, v, ent, take] = [17, 18, 19, 20, 21];
  const c = new Code();
  /** Reads step entries for all four lanes (advancing their pointers) into `values` and `entries` vectors. */
  const readStep = (values: number, entries: number): void => {
    for (let lane = 0; lane < WINDOW_LANES; lane++) {
      c.get(lanePtr(lane)).mem(op.i32Load, 2, 0).set(entry);
      c.get(lanePtr(lane)).i32(4).emit(op.i32Add).set(lanePtr(lane));
      c.get(entries).get(entry).simd(simdOp.i32x4ReplaceLane).emit(lane).set(entries);
      c.get(src).get(entry).i32(2).emit(op.i32Shl, op.i32Add).get(values).simd(simdOp.v128Load32Lane).emit(2, 0, lane).set(values);
    }
  };
  c.get(window).i32(2).emit(op.i32Shl).set(stride);
  c.emit(op.loop, blockVoid);
  c.get(idx).set(ip).get(groups).set(g);
  c.emit(op.loop, blockVoid);
  for (let lane = 0; lane < WINDOW_LANES; lane++) c.get(ip).get(stride).i32(lane).emit(op.i32Mul, op.i32Add).set(lanePtr(lane));
  readStep(best, at);
  c.get(window).i32(1).emit(op.i32Sub).tee(j).emit(op.i32Eqz, op.if, blockVoid, op.else);
  c.emit(op.loop, blockVoid);
  readStep(v, ent);
  // take = v > best | (v != v & best == best)
  c.get(v).get(best).simd(simdOp.f32x4Gt);
  c.get(v).get(v).simd(simdOp.f32x4Ne).get(best).get(best).simd(simdOp.f32x4Eq).simd(simdOp.v128And).simd(simdOp.v128Or).set(take);
  c.get(v).get(best).get(take).simd(simdOp.v128Bitselect).set(best);
  c.get(ent).get(at).get(take).simd(simdOp.v128Bitselect).set(at);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0, op.end);
  c.emit(op.end);
  // Four int32 winners.
  c.get(out).get(at).simdMem(simdOp.v128Store, 0, 0);
  c.get(out).i32(16).emit(op.i32Add).set(out);
  c.get(ip).get(stride).i32(WINDOW_LANES).emit(op.i32Mul, op.i32Add).set(ip);
  c.get(g).i32(1).emit(op.i32Sub).tee(g).emit(op.brIf, 0, op.end);
  c.get(src).get(srcRow).emit(op.i32Add).set(src);
  c.get(idx).get(idxRow).emit(op.i32Add).set(idx);
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.brIf, 0, op.end);
  return moduleBytes(
    {
      name: 'windowArgmax',
      params: new Array<number>(8).fill(valType.i32),
      locals: [
        [9, valType.i32],
        [5, valType.v128],
      ],
      code: c,
    },
    memory,
  );
}
