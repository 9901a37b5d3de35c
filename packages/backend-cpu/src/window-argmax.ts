import type { HostArray, NumberHostArray, Operand } from '@descent/backend';
import { asRows, rowIndex } from './gather-rows.js';
import { contiguousAny } from './strided.js';
import { WASM_GATHER_MIN, wasmWindowArgmax } from './wasm/wasm-gather.js';

/**
 * Max pooling's winners (the spec's `windowArgmax`) in one pass: each window's index entry whose element is the
 * first largest, NaN the largest. Composed from primitives this is a gather of every window read, an argmax and a
 * gather of the index: three passes and two large temporaries, which took most of a LeNet step's pooling time.
 */
export function windowArgmax(x: Operand<HostArray>, index: Operand<HostArray>, window: number): BigInt64Array | Int32Array {
  const winners = int32Winners(x, index, window);
  return index.dtype === 'int64' ? BigInt64Array.from(winners, BigInt) : winners;
}

/** The winners as int32 positions in a row (the index's values, which fit: they are checked against the width). */
function int32Winners(x: Operand<HostArray>, index: Operand<HostArray>, window: number): Int32Array {
  const [rows, width] = x.view.shape;
  const perRow = index.view.shape[1];
  const windows = perRow / window;
  const result = new Int32Array(rows * windows);
  if (result.length === 0) return result;
  // Rows of x where its last dim is contiguous; otherwise a contiguous copy (a transposed x is rare here).
  const rowsOfX = asRows(x.view);
  const data = (rowsOfX === null ? contiguousAny(x) : x.buffer) as NumberHostArray;
  const xStart = (r: number): number => (rowsOfX === null ? r * width : rowsOfX.starts[r]);
  const iRows = asRows(index.view);
  if (iRows === null) return int32Winners(x, { buffer: contiguousAny(index), dtype: index.dtype, view: { shape: [...index.view.shape], strides: [perRow, 1], offset: 0 } }, window);
  const checked = rowIndex(index, perRow, iRows.starts, iRows.broadcast, 1, width);
  if (checked === null) throw new RangeError(`windowArgmax: an index is out of bounds for dimension 1 with size ${width}`);
  const { idx, starts } = checked;
  if (data instanceof Float32Array && rows * perRow >= WASM_GATHER_MIN) {
    const srcStarts = rowsOfX === null ? Int32Array.from({ length: rows }, (_, r) => r * width) : rowsOfX.starts;
    const blocks = { src: data, srcStarts, srcWidth: width, idx, idxStarts: starts, sharedIndex: iRows.broadcast, rows, width: perRow };
    if (wasmWindowArgmax(blocks, window, result)) return result;
  }
  for (let r = 0, o = 0; r < rows; r++) {
    const xb = xStart(r);
    let i = starts[r];
    for (let w = 0; w < windows; w++, o++) {
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
      result[o] = at;
    }
  }
  return result;
}
