import type { DType } from '@descent/backend';
import { wrapWgsl } from '../dtypes.js';
import { WGSL_TYPE } from '../wgsl-types.js';
import { int64Wgsl } from './int64.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { statusWgsl } from './status.js';
import { paramTable, tablesBy, u32, u32s, view } from './params.js';
import { shapeAxis, stridedWalk, strideOf } from './strided.js';

/** gather: `numel` outputs over the index's `shape`; `dimSize` is x's size along dim, the valid index range. */
export const gatherParams = tablesBy((rank: number) =>
  paramTable(u32('numel'), u32('dimSize'), u32s('shape', rank), view('indexView', rank), view('xView', rank)),
);

/** scatterAdd: `numel` outputs over `shape` (the result's), gathered from `indexShape` entries of index and src. */
export const scatterAddParams = tablesBy((rank: number) =>
  paramTable(u32('numel'), u32s('shape', rank), u32s('indexShape', rank), view('indexView', rank), view('srcView', rank)),
);

/**
 * gather: `out[c] = x[c with c[dim] = index[c]]` over the index's shape: one walk places both the index and x
 * (without its `dim` term, which the index supplies). An index out of range is flagged in the op's fault slot
 * (./status.ts) and reads element 0 instead.
 */
export function gatherShader(dtype: DType, rank: number, dim: number): string {
  const t = WGSL_TYPE[dtype];
  const xStride = strideOf('params.xView');
  // A 0-d x has no axis `dim`: its one element is at stride 0 (and `dimSize` is 1).
  const dimStride = rank === 0 ? '0u' : xStride(dim);
  const walk = stridedWalk('i', [0, rank], shapeAxis, [
    { offset: 'ioff', stride: strideOf('params.indexView') },
    { offset: 'xoff', stride: (d) => (d === dim ? null : xStride(d)) },
  ]);
  return `${gatherParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
@group(0) @binding(3) var<storage, read> index: array<i32>;
${statusWgsl(4)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  var ioff = params.indexView.offset;
  var xoff = params.xView.offset;
${walk}  let j = index[ioff];
  var k = 0u;
  if (j < 0 || u32(j) >= params.dimSize) { flag_index(j); } else { k = u32(j); }
  out[i] = x[xoff + k * ${dimStride}];
}`;
}

/**
 * scatterAdd into zeros of `shape`, output-parallel so it is deterministic without float atomics: each output
 * element sums the `src` entries whose index along `dim` points at it. The walk over the output places the index
 * and src rows (without `dim`), notes the output's coordinate along `dim`, and whether the row exists.
 */
export function scatterAddShader(dtype: DType, rank: number, dim: number): string {
  const t = WGSL_TYPE[dtype];
  // int64 sums in 64 bits and narrows at the end, flagging a result past int32 (./int64.ts; the fault slot is
  // bound already); int16/int8/uint8 wrap once at the end, which equals wrapping every step: the low bits of a
  // sum only depend on the low bits of its terms. bool adds as or, as in PyTorch.
  const int64 = dtype === 'int64';
  // Along `dim`: how many index entries, their strides, the output's size; a 0-d scatter has one of each.
  const [count, indexStride, srcStride, size] =
    rank === 0 ? ['1u', '0u', '0u', '1u'] : [`params.indexShape[${dim}u]`, `params.indexView.strides[${dim}u]`, `params.srcView.strides[${dim}u]`, `params.shape[${dim}u]`];
  const skipDim = (stride: (d: number) => string) => (d: number) => (d === dim ? null : stride(d));
  const walk = stridedWalk(
    'i',
    [0, rank],
    shapeAxis,
    [
      { offset: 'ibase', stride: skipDim(strideOf('params.indexView')) },
      { offset: 'sbase', stride: skipDim(strideOf('params.srcView')) },
    ],
    (d) => (d === dim ? 'dest = c;' : `if (c >= params.indexShape[${d}u]) { inside = false; }`),
  );
  return `${scatterAddParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> index: array<i32>;
@group(0) @binding(3) var<storage, read> src: array<${t}>;
${int64 ? int64Wgsl(4) : statusWgsl(4)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  var ibase = params.indexView.offset;
  var sbase = params.srcView.offset;
  var dest = 0u;
  var inside = true;
${walk}  var acc = ${int64 ? 'vec2u(0u, 0u)' : `${t}(0)`};
  if (inside) {
    for (var q = 0u; q < ${count}; q++) {
      let j = index[ibase + q * ${indexStride}];
      if (j < 0 || u32(j) >= ${size}) { flag_index(j); }
      if (j == i32(dest)) { let v = src[sbase + q * ${srcStride}]; acc = ${int64 ? 'add64(acc, wide64(v))' : dtype === 'bool' ? 'max(acc, v)' : 'acc + v'}; }
    }
  }
  out[i] = ${int64 ? 'narrow64(acc)' : wrapWgsl(dtype, 'acc')};
}`;
}
