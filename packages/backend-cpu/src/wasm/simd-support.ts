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

interface NodeProcess {
  versions?: { node?: string; v8?: string };
  execArgv?: string[];
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Node 20 (V8 11.3) has relaxed SIMD complete but behind `--experimental-wasm-relaxed-simd`; V8 11.4 shipped it on
 * by default (Node 21+, Chrome 114+). On Node 20 only, turn that one Wasm feature on at run time, so its users get
 * the FMA matmul (1.2x, 69 -> 84 GFLOP/s at 1024 on a 2-core Xeon) with no flags. A process that passed any
 * relaxed-SIMD flag itself keeps its choice. The flag is process-wide and only adds instructions a module may use.
 */
function enableRelaxedSimdOnNode20(): void {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const v8Version = proc?.versions?.v8;
  if (proc?.versions?.node === undefined || v8Version === undefined || !/^11\.[0-3]\./.test(v8Version)) return;
  if (proc.execArgv?.some((arg) => arg.includes('relaxed-simd'))) return;
  const v8 = proc.getBuiltinModule?.('v8') as { setFlagsFromString(flags: string): void } | undefined;
  v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

let cached: SimdSupport | undefined;

export function simdSupport(): SimdSupport {
  if (cached === undefined) {
    const simd128 = validates(probe(simdOp.f32x4Add, 2));
    let relaxed = simd128 && validates(probe(simdOp.f32x4RelaxedMadd, 3));
    if (simd128 && !relaxed) {
      enableRelaxedSimdOnNode20();
      relaxed = validates(probe(simdOp.f32x4RelaxedMadd, 3));
    }
    cached = { simd128, relaxed };
  }
  return cached;
}
