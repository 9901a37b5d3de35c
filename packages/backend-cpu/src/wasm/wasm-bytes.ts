/**
 * A minimal WebAssembly binary writer: just enough to emit one-function kernel modules at runtime from
 * TypeScript, so the CPU backend needs no Wasm toolchain at build time (the approach jax-js takes).
 */

/** Opcodes used by the kernels; SIMD ones are `0xfd` followed by their LEB128 index (see `simd`). */
export const op = {
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32ShrU: 0x76,
  i32Shl: 0x74,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  f32Add: 0x92,
  i32Store: 0x36,
  i32And: 0x71,
  i32Or: 0x72,
  f32Eq: 0x5b,
  f32Ne: 0x5c,
  f32Gt: 0x5e,
} as const;

export const simdOp = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i32x4Splat: 0x11,
  i32x4ReplaceLane: 0x1c,
  v128Load32Lane: 0x56,
  f32x4Gt: 0x44,
  i64x2ExtendLowI32x4U: 0xc9,
  i64x2ExtendHighI32x4U: 0xca,
  i8x16Ne: 0x24,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Le: 0x45,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Bitselect: 0x52,
  i8x16NarrowI16x8S: 0x65,
  i16x8NarrowI32x4S: 0x85,
  i16x8ExtendLowI8x16S: 0x87,
  i16x8ExtendHighI8x16S: 0x88,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f32x4RelaxedMadd: 0x105,
} as const;

export const valType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export const blockVoid = 0x40;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A name; kernel names are ASCII, so one byte per character is their UTF-8. */
function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A function body's instruction stream, with helpers for the instructions the kernels use. */
export class Code {
  readonly bytes: number[] = [];

  emit(...bytes: number[]): this {
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  get(local: number): this {
    return this.emit(op.localGet, ...uleb(local));
  }
  set(local: number): this {
    return this.emit(op.localSet, ...uleb(local));
  }
  tee(local: number): this {
    return this.emit(op.localTee, ...uleb(local));
  }
  i32(value: number): this {
    return this.emit(op.i32Const, ...sleb(value));
  }
  /** A scalar memory access with its memarg (alignment as log2 bytes, constant byte offset). */
  mem(opcode: number, alignLog2: number, offset: number): this {
    return this.emit(opcode, ...uleb(alignLog2), ...uleb(offset));
  }
  simd(opcode: number): this {
    return this.emit(0xfd, ...uleb(opcode));
  }
  /** A SIMD memory access with its memarg (alignment as log2 bytes, constant byte offset). */
  simdMem(opcode: number, alignLog2: number, offset: number): this {
    return this.simd(opcode).emit(...uleb(alignLog2), ...uleb(offset));
  }
  v128Zero(): this {
    return this.simd(simdOp.v128Const).emit(...new Array<number>(16).fill(0));
  }
  /** i8x16.shuffle of the two vectors on the stack, picking the 16 bytes `bytes` (0-15 first, 16-31 second). */
  shuffle(bytes: readonly number[]): this {
    return this.simd(0x0d).emit(...bytes);
  }
  /** A v128 constant with `word` (a little-endian 32-bit pattern) in all four lanes. */
  v128Splat32(word: number): this {
    const lane = [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, (word >>> 24) & 0xff];
    return this.simd(simdOp.v128Const).emit(...lane, ...lane, ...lane, ...lane);
  }
}

export interface KernelFunction {
  name: string;
  params: number[];
  /** Extra locals after the parameters, as [count, valType] runs. */
  locals: [number, number][];
  code: Code;
}

/** The largest memory a kernel may import: 65536 pages of 64 KiB, all a 32-bit address reaches. */
export const MAX_PAGES = 65536;

/**
 * A module importing `env.memory` and exporting one function (no results) built from `fn`. A shared memory (the
 * one worker threads run kernels on) must be imported as shared, with a maximum.
 */
export function moduleBytes(fn: KernelFunction, memory: { shared: boolean } = { shared: false }): Uint8Array {
  const type = section(1, [1, 0x60, ...uleb(fn.params.length), ...fn.params, 0]);
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(MAX_PAGES)] : [0x00, 0x01];
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...name(fn.name), 0x00, 0]);
  const localDecls = [...uleb(fn.locals.length), ...fn.locals.flatMap(([count, t]) => [...uleb(count), t])];
  const body = [...localDecls, ...fn.code.bytes, op.end];
  const code = section(10, [1, ...uleb(body.length), ...body]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}
