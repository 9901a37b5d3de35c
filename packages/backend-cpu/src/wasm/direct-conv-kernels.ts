import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/**
 * Direct kernels for stride-1 convolutions on an input laid out as zero-bordered planes (the padding written out):
 * every window row q reads the plane at a fixed offset `base[q]` plus the output position, so the window reads need
 * no table and no gathered columns (im2col). Positions run flat over the output rows at the input's row width; the
 * columns past the output's width are computed and dropped.
 */

/** Emits `acc = a * b + acc` (one rounding with relaxed FMA, two without), with a, b and acc locals. */
function madd(c: Code, fma: boolean, a: number, b: number, acc: number): void {
  if (fma) c.get(a).get(b).get(acc).simd(simdOp.f32x4RelaxedMadd).set(acc);
  else c.get(acc).get(a).get(b).simd(simdOp.f32x4Mul).simd(simdOp.f32x4Add).set(acc);
}

/** `local += value` for an i32 local and an i32 local. */
function bump(c: Code, local: number, by: number): void {
  c.get(local).get(by).emit(op.i32Add).set(local);
}

/** `local += constant`. */
function bumpBy(c: Code, local: number, constant: number): void {
  c.get(local).i32(constant).emit(op.i32Add).set(local);
}

/** Closes a counted loop: `--local`, and back to its start while nonzero. */
function countDown(c: Code, local: number): void {
  c.get(local).i32(1).emit(op.i32Sub).tee(local).emit(op.brIf, 0, op.end);
}

/**
 * `correlate(in, inItem, bases, kq, w, oBlocks, out, outPlane, pGroups, items, outItem)`: for each of `items`
 * samples (`inItem` / `outItem` bytes apart), each block of 4 output channels and each group of 8 positions p,
 * `out[o][p] = Σ_q w[o][q] * in[bases[q] + p]` summed over q in order from zero (as the matmul kernel sums a
 * product's steps). `bases` holds `kq` int32 byte offsets; `w` is packed `[oBlocks][kq][4]` (channel fastest);
 * `out` has 4 * oBlocks planes `outPlane` bytes apart, each `8 * pGroups` floats. All counts at least 1.
 */
export function correlateKernelBytes(fma: boolean, memory: { shared: boolean }): Uint8Array {
  const [inP, inItem, bases, kq, w, oBlocks, out, outPlane, pGroups, items, outItem] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [ob, wRow, pg, q, bPtr, wPtr, pOff, addr, oPtr, outRow] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const acc = (j: number, h: number): number => 21 + 2 * j + h;
  const [v0, v1, s] = [29, 30, 31];
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(oBlocks).set(ob).get(w).set(wRow).get(out).set(outRow);
  c.emit(op.loop, blockVoid);
  c.i32(0).set(pg).emit(op.loop, blockVoid);
  for (let j = 0; j < 4; j++) for (let h = 0; h < 2; h++) c.v128Zero().set(acc(j, h));
  c.get(kq).set(q).get(bases).set(bPtr).get(wRow).set(wPtr);
  c.get(inP).get(pg).i32(32).emit(op.i32Mul, op.i32Add).set(pOff);
  c.emit(op.loop, blockVoid);
  c.get(pOff).get(bPtr).mem(op.i32Load, 2, 0).emit(op.i32Add).tee(addr).simdMem(simdOp.v128Load, 2, 0).set(v0);
  c.get(addr).simdMem(simdOp.v128Load, 2, 16).set(v1);
  for (let j = 0; j < 4; j++) {
    c.get(wPtr).simdMem(simdOp.v128Load32Splat, 2, 4 * j).set(s);
    madd(c, fma, s, v0, acc(j, 0));
    madd(c, fma, s, v1, acc(j, 1));
  }
  bumpBy(c, bPtr, 4);
  bumpBy(c, wPtr, 16);
  countDown(c, q);
  c.get(outRow).get(pg).i32(32).emit(op.i32Mul, op.i32Add).set(oPtr);
  for (let j = 0; j < 4; j++) {
    c.get(oPtr).get(acc(j, 0)).simdMem(simdOp.v128Store, 2, 0);
    c.get(oPtr).get(acc(j, 1)).simdMem(simdOp.v128Store, 2, 16);
    if (j < 3) bump(c, oPtr, outPlane);
  }
  c.get(pg).i32(1).emit(op.i32Add).tee(pg).get(pGroups).emit(op.i32LtU, op.brIf, 0, op.end);
  c.get(wRow).get(kq).i32(16).emit(op.i32Mul, op.i32Add).set(wRow);
  c.get(outRow).get(outPlane).i32(4).emit(op.i32Mul, op.i32Add).set(outRow);
  countDown(c, ob);
  bump(c, inP, inItem);
  bump(c, out, outItem);
  countDown(c, items);
  return moduleBytes(
    {
      name: 'correlate',
      params: new Array<number>(11).fill(valType.i32),
      locals: [
        [10, valType.i32],
        [11, valType.v128],
      ],
      code: c,
    },
    memory,
  );
}

/**
 * `weightGrad(g, gItem, x, xItem, bases, qPairs, oBlocks, p8, out, items, gPlane, perBlock, outBlock)`: for each
 * of `items` samples (`gItem` / `xItem` bytes apart), adds `g[o][p] * x[bases[q] + p]` over 8 * `p8` positions
 * into `out`, packed `[oBlocks][qPairs][4 o][2 q][4 lanes]` (lane l holds positions p ≡ l mod 4; the caller sums
 * the lanes). `g` has 4 * oBlocks planes `gPlane` bytes apart; `bases` holds 2 * qPairs int32 byte offsets. Every
 * `perBlock` samples add into the next sum, `outBlock` bytes on: fixed blocks of samples, so the sums do not depend
 * on how the samples are split across threads. Accumulates into `out`.
 */
export function weightGradKernelBytes(fma: boolean, memory: { shared: boolean }): Uint8Array {
  const [g, gItem, x, xItem, bases, qPairs, oBlocks, p8, out, items, gPlane, perBlock, outBlock] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [ob, gRow, qp, bPtr, oPtr, n, xa0, xa1, left] = [13, 14, 15, 16, 17, 18, 19, 20, 21];
  const gp = (j: number): number => 22 + j;
  const acc = (j: number, h: number): number => 26 + 2 * j + h;
  const [x0, x1, gv] = [34, 35, 36];
  const c = new Code();
  c.get(perBlock).set(left);
  c.emit(op.loop, blockVoid);
  c.get(oBlocks).set(ob).get(g).set(gRow).get(out).set(oPtr);
  c.emit(op.loop, blockVoid);
  c.get(qPairs).set(qp).get(bases).set(bPtr);
  c.emit(op.loop, blockVoid);
  for (let j = 0; j < 4; j++) for (let h = 0; h < 2; h++) c.get(oPtr).simdMem(simdOp.v128Load, 2, 16 * (2 * j + h)).set(acc(j, h));
  c.get(x).get(bPtr).mem(op.i32Load, 2, 0).emit(op.i32Add).set(xa0);
  c.get(x).get(bPtr).mem(op.i32Load, 2, 4).emit(op.i32Add).set(xa1);
  c.get(gRow).set(gp(0));
  for (let j = 1; j < 4; j++) c.get(gp(j - 1)).get(gPlane).emit(op.i32Add).set(gp(j));
  // Two vectors of positions a turn: half the pointer steps and loop tests per multiply-add.
  c.get(p8).set(n).emit(op.loop, blockVoid);
  for (const offset of [0, 16]) {
    c.get(xa0).simdMem(simdOp.v128Load, 2, offset).set(x0);
    c.get(xa1).simdMem(simdOp.v128Load, 2, offset).set(x1);
    for (let j = 0; j < 4; j++) {
      c.get(gp(j)).simdMem(simdOp.v128Load, 2, offset).set(gv);
      madd(c, fma, gv, x0, acc(j, 0));
      madd(c, fma, gv, x1, acc(j, 1));
    }
  }
  for (let j = 0; j < 4; j++) bumpBy(c, gp(j), 32);
  bumpBy(c, xa0, 32);
  bumpBy(c, xa1, 32);
  countDown(c, n);
  for (let j = 0; j < 4; j++) for (let h = 0; h < 2; h++) c.get(oPtr).get(acc(j, h)).simdMem(simdOp.v128Store, 2, 16 * (2 * j + h));
  bumpBy(c, oPtr, 128);
  bumpBy(c, bPtr, 8);
  countDown(c, qp);
  c.get(gRow).get(gPlane).i32(4).emit(op.i32Mul, op.i32Add).set(gRow);
  countDown(c, ob);
  bump(c, g, gItem);
  bump(c, x, xItem);
  // The block's last sample: the next samples add into the next sum.
  c.get(left).i32(1).emit(op.i32Sub).tee(left).emit(op.i32Eqz, op.if, blockVoid);
  bump(c, out, outBlock);
  c.get(perBlock).set(left);
  c.emit(op.end);
  countDown(c, items);
  return moduleBytes(
    {
      name: 'weightGrad',
      params: new Array<number>(13).fill(valType.i32),
      locals: [
        [13, valType.i32],
        [11, valType.v128],
      ],
      code: c,
    },
    memory,
  );
}

/**
 * `copyRows(src, dst, items, planes, rows, rowBytes, srcItem, srcPlane, srcRow, dstItem, dstPlane, dstRow)`: copies
 * `items * planes * rows` rows of `rowBytes` bytes between two strided layouts (memory.copy, so a layout may be
 * compacted in place towards its start): writes input planes into their zero borders, and takes the output's
 * valid columns out. All counts at least 1.
 */
export function copyRowsKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, dst, items, planes, rows, rowBytes, srcItem, srcPlane, srcRow, dstItem, dstPlane, dstRow] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [sp, dp, s, d, pl, r] = [12, 13, 14, 15, 16, 17];
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(src).set(sp).get(dst).set(dp).get(planes).set(pl);
  c.emit(op.loop, blockVoid);
  c.get(sp).set(s).get(dp).set(d).get(rows).set(r);
  c.emit(op.loop, blockVoid);
  c.get(d).get(s).get(rowBytes).emit(...MEMORY_COPY);
  bump(c, s, srcRow);
  bump(c, d, dstRow);
  countDown(c, r);
  bump(c, sp, srcPlane);
  bump(c, dp, dstPlane);
  countDown(c, pl);
  bump(c, src, srcItem);
  bump(c, dst, dstItem);
  countDown(c, items);
  return moduleBytes({ name: 'copyRows', params: new Array<number>(12).fill(valType.i32), locals: [[6, valType.i32]], code: c }, memory);
}

/** memory.copy within memory 0 (the bulk-memory proposal, in every runtime with SIMD). */
const MEMORY_COPY = [0xfc, 10, 0, 0];
