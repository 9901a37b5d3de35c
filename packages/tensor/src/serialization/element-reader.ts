/**
 * Reads a tensor's elements from a file in pieces (browser-safe), converting each piece to Descent's dtype as it
 * arrives: no buffer ever holds a whole large tensor's raw bytes, so a tensor of more than 4 GiB (past what one
 * JavaScript byte array can index) loads, and memory holds little more than the result. Writing goes the same way.
 */

import { bytesPerElement, hostArray, type DType, type HostArray } from '@descent/backend';
import { copyElements, encodeElements, LITTLE_ENDIAN_HOST, SAFETENSORS_DTYPES, type DecodeContext } from './safetensors-dtypes.js';
import type { ByteSource } from './zip-reader.js';

/** Bytes per piece: large enough for fast reads, small enough to stay out of the way. */
export const PIECE_BYTES = 64 * 1024 * 1024;

/**
 * `numel` contiguous elements of safetensors type `code` starting at byte `position` of `source`, as a typed array
 * of the Descent dtype they load as. `onBytes` sees every raw piece in order (for a CRC).
 */
export async function readElements(
  source: ByteSource,
  position: number,
  code: string,
  numel: number,
  name: string,
  context: DecodeContext,
  onBytes?: (bytes: Uint8Array) => void,
): Promise<HostArray> {
  const dtype = SAFETENSORS_DTYPES[code];
  const out = hostArray(dtype.dtype, numel);
  const { size } = dtype;
  const perPiece = Math.max(1, Math.floor(PIECE_BYTES / size));
  // Types stored as Descent holds them (on little-endian hosts) are read straight into the result.
  const readInto = LITTLE_ENDIAN_HOST && dtype.native ? source.readInto?.bind(source) : undefined;
  for (let first = 0; first < numel; first += perPiece) {
    const count = Math.min(perPiece, numel - first);
    if (readInto) {
      const target = new Uint8Array(out.buffer, first * size, count * size);
      await readInto(position + first * size, target);
      onBytes?.(target);
      continue;
    }
    const bytes = await source.read(position + first * size, count * size);
    onBytes?.(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    copyElements(out, dtype.decode(view, count, name, { ...context, first }), first);
  }
  return out;
}

/** A tensor's row-major elements as little-endian bytes, one piece at a time (`encodeElements` per piece). */
export function* elementPieces(dtype: DType, data: HostArray): Generator<Uint8Array> {
  const perPiece = PIECE_BYTES / bytesPerElement[dtype];
  for (let first = 0; first < data.length; first += perPiece) yield encodeElements(dtype, data.subarray(first, first + perPiece));
}
