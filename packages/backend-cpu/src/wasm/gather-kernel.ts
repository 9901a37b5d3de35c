import { blockVoid, Code, moduleBytes, op, valType } from './wasm-bytes.js';

/**
 * Wasm kernels for gather and scatter-add along the last dim of row blocks: what convolution's im2col and its
 * gradient (col2im), pooling and embedding lookups lower to. Scalar code (SIMD128 has no gather), but without the
 * JS loop's bounds checks, and rows split across threads. Indices are int32, checked before the call.
 */

/**
 * `gather(src, srcRow, idx, idxRow, out, width, rows)`: for `rows` rows, `out[j] = src[idx[j]]` over `width`
 * floats, then src, idx and out move on by `srcRow`, `idxRow` (0 for one index row shared by all) and `4 * width`
 * bytes. `width` and `rows` are at least 1.
 */
export function gatherKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, srcRow, idx, idxRow, out, width, rows] = [0, 1, 2, 3, 4, 5, 6];
  const [j, ip] = [7, 8];
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(idx).set(ip).get(width).set(j);
  c.emit(op.loop, blockVoid);
  c.get(out).get(src).get(ip).mem(op.i32Load, 2, 0).i32(2).emit(op.i32Shl, op.i32Add).mem(op.f32Load, 2, 0).mem(op.f32Store, 2, 0);
  c.get(ip).i32(4).emit(op.i32Add).set(ip);
  c.get(out).i32(4).emit(op.i32Add).set(out);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0, op.end);
  c.get(src).get(srcRow).emit(op.i32Add).set(src);
  c.get(idx).get(idxRow).emit(op.i32Add).set(idx);
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'gather', params: new Array<number>(7).fill(valType.i32), locals: [[2, valType.i32]], code: c }, memory);
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

/**
 * `windowArgmax(src, srcRow, idx, idxRow, out, windows, window, rows)`: for `rows` rows and each of `windows` runs
 * of `window` int32 entries of idx, the entry whose float `src[entry]` is the first largest (NaN the largest, the
 * first NaN winning), stored as an int64 at out; then src and idx move on by `srcRow` and `idxRow` bytes. The
 * comparisons pick with `select`, not branches: pooling windows after a ReLU tie often and at random, which a
 * branch mispredicts. All counts are at least 1.
 */
export function windowArgmaxKernelBytes(memory: { shared: boolean }): Uint8Array {
  const [src, srcRow, idx, idxRow, out, windows, window, rows] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [w, j, ip, at, entry, take] = [8, 9, 10, 11, 12, 13];
  const [best, v] = [14, 15];
  const c = new Code();
  const load = (entryLocal: number): void => {
    c.get(src).get(entryLocal).i32(2).emit(op.i32Shl, op.i32Add).mem(op.f32Load, 2, 0);
  };
  c.emit(op.loop, blockVoid);
  c.get(idx).set(ip).get(windows).set(w);
  c.emit(op.loop, blockVoid);
  // The window's first entry, then the rest.
  c.get(ip).mem(op.i32Load, 2, 0).tee(at);
  c.set(entry);
  load(entry);
  c.set(best);
  c.get(ip).i32(4).emit(op.i32Add).set(ip);
  c.get(window).i32(1).emit(op.i32Sub).tee(j).emit(op.i32Eqz, op.if, blockVoid, op.else);
  c.emit(op.loop, blockVoid);
  c.get(ip).mem(op.i32Load, 2, 0).set(entry);
  load(entry);
  c.set(v);
  // take = v > best || (v != v && best == best)
  c.get(v).get(best).emit(op.f32Gt);
  c.get(v).get(v).emit(op.f32Ne).get(best).get(best).emit(op.f32Eq, op.i32And, op.i32Or).set(take);
  c.get(v).get(best).get(take).emit(op.select).set(best);
  c.get(entry).get(at).get(take).emit(op.select).set(at);
  c.get(ip).i32(4).emit(op.i32Add).set(ip);
  c.get(j).i32(1).emit(op.i32Sub).tee(j).emit(op.brIf, 0, op.end);
  c.emit(op.end);
  // An int64 entry: the low word, then a zero high word (Wasm memory is little-endian).
  c.get(out).get(at).mem(op.i32Store, 2, 0);
  c.get(out).i32(0).mem(op.i32Store, 2, 4);
  c.get(out).i32(8).emit(op.i32Add).set(out);
  c.get(w).i32(1).emit(op.i32Sub).tee(w).emit(op.brIf, 0, op.end);
  c.get(src).get(srcRow).emit(op.i32Add).set(src);
  c.get(idx).get(idxRow).emit(op.i32Add).set(idx);
  c.get(rows).i32(1).emit(op.i32Sub).tee(rows).emit(op.brIf, 0, op.end);
  return moduleBytes(
    {
      name: 'windowArgmax',
      params: new Array<number>(8).fill(valType.i32),
      locals: [
        [6, valType.i32],
        [2, valType.f32],
      ],
      code: c,
    },
    memory,
  );
}
