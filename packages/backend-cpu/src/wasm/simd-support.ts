import { wasmApi } from './wasm-api.js';
import { Code, moduleBytes, simdOp, valType } from './wasm-bytes.js';

/** A module using `opcode` on three zero vectors: validates only where the runtime has that SIMD instruction. */
function probe(opcode: number, operands: number): Uint8Array {
  const code = new Code();
  for (let n = 0; n < operands; n++) code.v128Zero();
  code.simd(opcode).emit(0x1a); // drop
  return moduleBytes({ name: 'probe', params: [valType.i32], locals: [], code });
}

function validates(bytes: Uint8Array): boolean {
  try {
    return wasmApi !== undefined && wasmApi.validate(bytes);
  } catch {
    return false;
  }
}

/** Which Wasm SIMD tiers this runtime has: SIMD128 (f32x4.add) and relaxed SIMD (f32x4.relaxed_madd). */
export interface SimdSupport {
  simd128: boolean;
  relaxed: boolean;
}

let cached: SimdSupport | undefined;

export function simdSupport(): SimdSupport {
  if (cached === undefined) {
    const simd128 = validates(probe(simdOp.f32x4Add, 2));
    cached = { simd128, relaxed: simd128 && validates(probe(simdOp.f32x4RelaxedMadd, 3)) };
  }
  return cached;
}
