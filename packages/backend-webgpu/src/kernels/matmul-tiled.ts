import type { DType } from '@descent/backend';
import { wrapWgsl } from '../dtypes.js';
import { WGSL_TYPE } from '../wgsl-types.js';
import { plainStore, type MatmulStore } from './matmul.js';

/**
 * A register-blocked matmul configuration: a workgroup computes a `tileM` x `tileN` output tile, each thread a
 * `rows` x `cols` block of it, from 16-deep slices of A and B staged in workgroup memory. `rows` and `cols` are
 * multiples of 4: the block is read from workgroup memory as vec4s, so one vec4 of A and one of B feed 16 FMAs.
 */
export interface TiledConfig {
  readonly name: string;
  readonly tileM: number;
  readonly tileN: number;
  readonly rows: number;
  readonly cols: number;
}

/** The k depth of a staged slice: also float32's partial-sum length (see `tiledMatmulShader`). */
export const TILE_K = 16;

/** How the operands are laid out, which picks the order a workgroup loads its tiles in (coalescing on a GPU). */
export interface TiledLayout {
  /** A's k axis has stride 1 (a row-major A): threads next to each other load along k, else along m. */
  readonly aKFast: boolean;
  /** B's n axis has stride 1 (a row-major B), else along k (a transposed B, `x @ w.t()`). */
  readonly bNFast: boolean;
}

export const tiledWorkgroupSize = (c: TiledConfig): [number, number] => [c.tileN / c.cols, c.tileM / c.rows];

/**
 * One stage of a tile into workgroup memory, transposed for A ([k][m] as vec4s along m) and as is for B ([k][n]
 * as vec4s along n), so the inner loop reads a thread's rows and columns as whole vec4s. Each thread stages whole
 * vec4s (4 rows of A or 4 columns of B at one k): one workgroup store each, not four partial ones. Out-of-range
 * elements (edge tiles, the k tail) are zero, so they add nothing.
 */
function stageLoads(c: TiledConfig, t: string, layout: TiledLayout): string {
  const threads = (c.tileM / c.rows) * (c.tileN / c.cols);
  const aQuads = (c.tileM * TILE_K) / 4 / threads;
  const bQuads = (c.tileN * TILE_K) / 4 / threads;
  // Quad q of the tile, split so that consecutive threads take neighbouring addresses of the operand.
  const aSplit = layout.aKFast ? `let am = (q / ${TILE_K}u) * 4u; let ak = q % ${TILE_K}u;` : `let ak = q / ${c.tileM / 4}u; let am = (q % ${c.tileM / 4}u) * 4u;`;
  const bSplit = layout.bNFast ? `let bk = q / ${c.tileN / 4}u; let bn = (q % ${c.tileN / 4}u) * 4u;` : `let bn = (q / ${TILE_K}u) * 4u; let bk = q % ${TILE_K}u;`;
  const guarded = (cond: string, read: string) => `select(${t}(0), ${read}, ${cond})`;
  const aRead = (i: number) => guarded(`gm + ${i}u < M && gk < K`, `A[min(aBase + (gm + ${i}u) * aRow + gk * aCol, aLast)]`);
  const bRead = (j: number) => guarded(`gk < K && gn + ${j}u < N`, `B[min(bBase + gk * bRow + (gn + ${j}u) * bCol, bLast)]`);
  return `    for (var l = 0u; l < ${aQuads}u; l++) {
      let q = local + l * ${threads}u;
      ${aSplit}
      let gm = row0 + am; let gk = k0 + ak;
      As[ak * ${c.tileM / 4}u + am / 4u] = vec4<${t}>(${[0, 1, 2, 3].map(aRead).join(', ')});
    }
    for (var l = 0u; l < ${bQuads}u; l++) {
      let q = local + l * ${threads}u;
      ${bSplit}
      let gk = k0 + bk; let gn = col0 + bn;
      Bs[bk * ${c.tileN / 4}u + bn / 4u] = vec4<${t}>(${[0, 1, 2, 3].map(bRead).join(', ')});
    }`;
}

/** The body of one k step, unrolled over the thread's block: a thread's vec4s of A and B, then rows x cols/4 vec4 multiply-adds. */
function innerStep(c: TiledConfig, acc: string): string {
  const lines: string[] = [];
  for (let i = 0; i < c.rows / 4; i++) lines.push(`let a${i} = As[kk * ${c.tileM / 4}u + ty * ${c.rows / 4}u + ${i}u];`);
  for (let j = 0; j < c.cols / 4; j++) lines.push(`let b${j} = Bs[kk * ${c.tileN / 4}u + tx * ${c.cols / 4}u + ${j}u];`);
  for (let r = 0; r < c.rows; r++) {
    for (let j = 0; j < c.cols / 4; j++) {
      const cell = `${acc}[${r * (c.cols / 4) + j}]`;
      lines.push(`${cell} = ${cell} + a${r >> 2}[${r & 3}] * b${j};`);
    }
  }
  return lines.map((l) => `      ${l}`).join('\n');
}

/**
 * The block's stores, written out with constant indices like every other access to `acc` and `part`: an array
 * indexed by a loop variable would live in memory instead of registers (on lavapipe and on GPUs alike). A looped
 * store (a fused cluster's) runs in a loop over a copy of the block, so only the copy does.
 */
function stores(c: TiledConfig, dtype: DType, s: MatmulStore): string {
  if (s.looped) {
    // The loop runs over the block's rows inside the product: a count the compiler cannot unroll, so the store's
    // code is compiled once.
    const copy = Array.from({ length: c.rows * c.cols }, (_, e) => `block[${e}] = acc[${e >> 2}][${e & 3}];`).join(' ');
    return `  var block: array<${WGSL_TYPE[dtype]}, ${c.rows * c.cols}>; ${copy}
  let gm0 = row0 + ty * ${c.rows}u;
  let rowsIn = min(${c.rows}u, M - min(M, gm0)); let colsIn = min(${c.cols}u, N - min(N, gn0));
  for (var e = 0u; e < rowsIn * ${c.cols}u; e++) {
    let r = e / ${c.cols}u; let j = e % ${c.cols}u;
    if (j < colsIn) { ${s.store('outBase + (gm0 + r) * N + gn0 + j', wrapWgsl(dtype, 'block[e]'))} }
  }`;
  }
  const lines: string[] = [];
  for (let r = 0; r < c.rows; r++) {
    lines.push(`  let gm${r} = row0 + ty * ${c.rows}u + ${r}u;`);
    const cols = Array.from({ length: c.cols }, (_, j) => {
      const value = wrapWgsl(dtype, `acc[${r * (c.cols / 4) + (j >> 2)}][${j & 3}]`);
      return `if (gn0 + ${j}u < N) { ${s.store(`row + ${j}u`, value)} }`;
    });
    lines.push(`  if (gm${r} < M) { let row = outBase + gm${r} * N + gn0; ${cols.join(' ')} }`);
  }
  return lines.join('\n');
}

/**
 * The tiled kernel for float32 and the 32-bit integer dtypes (int32, int16, int8, uint8 wrap once at the store,
 * which equals wrapping every step). int64 needs 64-bit emulated sums: it stays on ./matmul.ts. Same parameters,
 * bindings and store step (`MatmulStore`) as that kernel, so the dispatcher packs both alike.
 */
export function tiledMatmulShader(dtype: DType, c: TiledConfig, layout: TiledLayout, s: MatmulStore = plainStore(dtype)): string {
  const t = WGSL_TYPE[dtype];
  const [wx, wy] = tiledWorkgroupSize(c);
  const cells = c.rows * (c.cols / 4);
  // float32 sums each 16-long slice of k into a partial first, then adds it to the total (as ./matmul.ts): the
  // total takes k / 16 additions instead of k, which keeps long dot products accurate.
  const float = t === 'f32';
  const acc = float ? 'part' : 'acc';
  const vec = `vec4<${t}>`;
  return `${s.declarations}
@group(0) @binding(2) var<storage, read> A: array<${t}>;
@group(0) @binding(3) var<storage, read> B: array<${t}>;
var<workgroup> As: array<${vec}, ${(TILE_K * c.tileM) / 4}>;
var<workgroup> Bs: array<${vec}, ${(TILE_K * c.tileN) / 4}>;
@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) chunk_wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let wid = chunk_wid + vec3u(params.origin[0], params.origin[1], params.origin[2]);
  let M = params.m; let N = params.n; let K = params.k;
  let aBase = params.aView.offset + wid.z * params.aView.strides[0]; let aRow = params.aView.strides[1]; let aCol = params.aView.strides[2];
  let bBase = params.bView.offset + wid.z * params.bView.strides[0]; let bRow = params.bView.strides[1]; let bCol = params.bView.strides[2];
  let row0 = wid.y * ${c.tileM}u;
  let col0 = wid.x * ${c.tileN}u;
  let tx = lid.x; let ty = lid.y;
  let local = ty * ${wx}u + tx;
  // Staging reads select zero past the edges; the index is clamped into the buffer too, so the read is always
  // in bounds and needs no branch.
  let aLast = arrayLength(&A) - 1u; let bLast = arrayLength(&B) - 1u;
  var acc = array<${vec}, ${cells}>();
  for (var k0 = 0u; k0 < K; k0 += ${TILE_K}u) {
${stageLoads(c, t, layout)}
    workgroupBarrier();
    ${float ? `var part = array<${vec}, ${cells}>(); // zeroed on every pass (declared without an initializer, it was not on lavapipe)` : ''}
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
${innerStep(c, acc)}
    }
${float ? Array.from({ length: cells }, (_, i) => `    acc[${i}] = acc[${i}] + part[${i}];`).join('\n') : ''}
    workgroupBarrier();
  }
  let outBase = wid.z * M * N;
  let gn0 = col0 + tx * ${c.cols}u;
${stores(c, dtype, s)}
}`;
}
