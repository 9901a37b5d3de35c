import type { HostArray, NumberHostArray, Operand } from '@descent/backend';
import { asRows, rowIndex } from './gather-rows.js';
import { contiguousAny } from './strided.js';
import { LO, wordsOf } from './words.js';
import { WASM_GATHER_MIN, wasmWindowArgmax } from './wasm/wasm-gather.js';

/**
 * Max pooling's winners (the spec's `windowArgmax`) in one pass: each window's index entry whose element is the
 * first largest, NaN the largest. Composed from primitives this is a gather of every window read, an argmax and a
 * gather of the index: three passes and two large temporaries, which took most of a LeNet step's pooling time.
 */
export function windowArgmax(x: Operand<HostArray>, index: Operand<HostArray>, window: number): BigInt64Array | Int32Array {
  const winners = int64Winners(x, index, window);
  return index.dtype === 'int64' ? winners : lowWords(winners);
}

/** The winners of an int32 index: the int64 winners' low words (they are positions in a row). */
function lowWords(winners: BigInt64Array): Int32Array {
  const words = wordsOf(winners);
  const out = new Int32Array(winners.length);
  for (let i = 0; i < out.length; i++) out[i] = words[2 * i + LO];
  return out;
}

function int64Winners(x: Operand<HostArray>, index: Operand<HostArray>, window: number): BigInt64Array {
  const [rows, width] = x.view.shape;
  const perRow = index.view.shape[1];
  const windows = perRow / window;
  const result = new BigInt64Array(rows * windows);
  if (result.length === 0) return result;
  // Rows of x where its last dim is contiguous; otherwise a contiguous copy (a transposed x is rare here).
  const rowsOfX = asRows(x.view);
  const data = (rowsOfX === null ? contiguousAny(x) : x.buffer) as NumberHostArray;
  const xStart = (r: number): number => (rowsOfX === null ? r * width : rowsOfX.starts[r]);
  const iRows = asRows(index.view);
  if (iRows === null) return int64Winners(x, { buffer: contiguousAny(index), dtype: index.dtype, view: { shape: [...index.view.shape], strides: [perRow, 1], offset: 0 } }, window);
  const checked = rowIndex(index, perRow, iRows.starts, iRows.broadcast, 1, width);
  if (checked === null) throw new RangeError(`windowArgmax: an index is out of bounds for dimension 1 with size ${width}`);
  const { idx, starts } = checked;
  const out = wordsOf(result);
  if (data instanceof Float32Array && rows * perRow >= WASM_GATHER_MIN) {
    const srcStarts = rowsOfX === null ? Int32Array.from({ length: rows }, (_, r) => r * width) : rowsOfX.starts;
    const blocks = { src: data, srcStarts, srcWidth: width, idx, idxStarts: starts, sharedIndex: iRows.broadcast, rows, width: perRow };
    if (wasmWindowArgmax(blocks, window, out)) return result;
  }
  // The winners are small non-negative positions: the low word; the high word stays the fresh array's zero.
  for (let r = 0, o = LO; r < rows; r++) {
    const xb = xStart(r);
    let i = starts[r];
    for (let w = 0; w < windows; w++, o += 2) {
      let at = idx[i++];
      let best = data[xb + at];
      if (best !== best) {
        i += window - 1;
      } else {
        for (let j = 1; j < window; j++) {
          const e = idx[i++];
          const v = data[xb + e];
          if (v > best || v !== v) {
            best = v;
            at = e;
            if (v !== v) {
              i += window - 1 - j;
              break;
            }
          }
        }
      }
      out[o] = at;
    }
  }
  return result;
}
