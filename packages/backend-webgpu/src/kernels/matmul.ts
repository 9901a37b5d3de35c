import type { DType } from '@descent/backend';
import { wrapWgsl } from '../dtypes.js';
import { WGSL_TYPE } from '../wgsl-types.js';
import { int64Wgsl } from './int64.js';
import { paramTable, u32, u32s, view } from './params.js';

/**
 * Tiled batched matmul: each 16x16 workgroup computes a 64x64 output tile, 4x4 per thread, staging 64x16 and
 * 16x64 operand tiles in workgroup memory. Operands are read through their strides, so transposed or broadcast
 * (batch stride 0) inputs need no copy.
 */
export const MATMUL_TILE = 64;

/**
 * [batch, m, k] @ [batch, k, n]: the views' strides are batch, row, column. `origin` is the first workgroup (x, y,
 * z) of this dispatch: an output with more tiles than the device's workgroups per dimension is split over several.
 */
export const matmulParams = paramTable(u32('m'), u32('n'), u32('k'), view('aView', 3), view('bView', 3), u32s('origin', 3));

/**
 * A matmul kernel's store step: how each element of the product is written. `plainStore` writes it to `out`
 * (binding 1); a fused elementwise cluster (../fusion/epilogue.ts) runs its ops on it and stores their results.
 * A and B are bindings 2 and 3 either way.
 */
export interface MatmulStore {
  /** The parameter struct (the matmul's fields first), binding 1, any bindings from 4 on, and helper functions. */
  readonly declarations: string;
  /** The WGSL statement storing `value`, element `index` (row-major over [batch, m, n]) of the product. */
  store(index: string, value: string): string;
  /**
   * Whether the statement is written once, in a loop over a thread's block, rather than once per element of it
   * (./matmul-tiled.ts): a cluster's code written out 64 times took lavapipe's compiler up to 75 s per kernel.
   */
  readonly looped: boolean;
}

export function plainStore(dtype: DType): MatmulStore {
  return {
    declarations: `${matmulParams.wgsl}\n@group(0) @binding(1) var<storage, read_write> out: array<${WGSL_TYPE[dtype]}>;`,
    store: (index, value) => `out[${index}] = ${value};`,
    looped: false,
  };
}

/**
 * int64 accumulates in 64 bits and narrows at the store, flagging a result past int32 (./int64.ts; the fault
 * slot at binding 4); int16/int8/uint8 wrap once at the store, which equals wrapping every step (the low bits of
 * sums and products only depend on the low bits of the terms).
 */
export function matmulShader(dtype: DType, s: MatmulStore = plainStore(dtype)): string {
  const t = WGSL_TYPE[dtype];
  const int64 = dtype === 'int64';
  // float32 sums each 16-long slice of k into a partial first, then adds it to the total: the total then takes
  // k / 16 additions instead of k (a 1e6-long dot product: 3.7e-6 relative error instead of 1.5e-4).
  const tiled = t === 'f32';
  const fma = int64
    ? 'add64(acc[i][j], mul64(wide64(a[i]), wide64(b[j])))'
    : tiled
      ? 'part[i][j] + a[i] * b[j]'
      : 'acc[i][j] + a[i] * b[j]';
  const store = int64 ? 'narrow64(acc[i][j])' : wrapWgsl(dtype, 'acc[i][j]');
  return `${s.declarations}
@group(0) @binding(2) var<storage, read> A: array<${t}>;
@group(0) @binding(3) var<storage, read> B: array<${t}>;
${int64 ? int64Wgsl(4) : ''}
var<workgroup> As: array<${t}, 1024>;
var<workgroup> Bs: array<${t}, 1024>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) chunk_wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let wid = chunk_wid + vec3u(params.origin[0], params.origin[1], params.origin[2]);
  let M = params.m; let N = params.n; let K = params.k;
  let aBase = params.aView.offset + wid.z * params.aView.strides[0]; let aRow = params.aView.strides[1]; let aCol = params.aView.strides[2];
  let bBase = params.bView.offset + wid.z * params.bView.strides[0]; let bRow = params.bView.strides[1]; let bCol = params.bView.strides[2];
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let local = lid.y * 16u + lid.x;
  var acc: array<array<${int64 ? 'vec2u' : t}, 4>, 4>;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var l = 0u; l < 4u; l++) {
      let e = local + l * 256u;
      let ar = e / 16u; let ac = e % 16u;
      let gr = row0 + ar; let gk = k0 + ac;
      As[e] = select(${t}(0), A[aBase + gr * aRow + gk * aCol], gr < M && gk < K);
      let br = e / 64u; let bc = e % 64u;
      let gk2 = k0 + br; let gc = col0 + bc;
      Bs[e] = select(${t}(0), B[bBase + gk2 * bRow + gc * bCol], gk2 < K && gc < N);
    }
    workgroupBarrier();
    ${tiled ? `var part = array<array<${t}, 4>, 4>(); // zeroed on every pass` : ''}
    for (var kk = 0u; kk < 16u; kk++) {
      var a: array<${t}, 4>;
      var b: array<${t}, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[(lid.y * 4u + i) * 16u + kk]; b[i] = Bs[kk * 64u + lid.x * 4u + i]; }
      for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { ${tiled ? 'part' : 'acc'}[i][j] = ${fma}; } }
    }
    ${tiled ? 'for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = acc[i][j] + part[i][j]; } }' : ''}
    workgroupBarrier();
  }
  let outBase = wid.z * M * N;
${s.looped ? loopedStores(s, store) : plainStores(s, store)}
}`;
}

function plainStores(s: MatmulStore, value: string): string {
  return `  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    if (r >= M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (c < N) { ${s.store('outBase + r * N + c', value)} }
    }
  }`;
}

/** One loop over the block's rows inside the product: a count the compiler cannot unroll (see ./matmul-tiled.ts). */
function loopedStores(s: MatmulStore, value: string): string {
  return `  let r0 = row0 + lid.y * 4u; let c0 = col0 + lid.x * 4u;
  let rowsIn = min(4u, M - min(M, r0)); let colsIn = min(4u, N - min(N, c0));
  for (var e = 0u; e < rowsIn * 4u; e++) {
    let i = e / 4u; let j = e % 4u;
    if (j < colsIn) { ${s.store('outBase + (r0 + i) * N + c0 + j', value)} }
  }`;
}
