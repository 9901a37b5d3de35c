import { WGSL_COMMON } from '../wgsl-types.js';
import { statusWgsl } from './status.js';
import { paramTable, tablesBy, u32, u32s, view } from './params.js';
import { shapeAxis, stridedWalk, strideOf } from './strided.js';
import { treeReduce, workgroupSlots } from './tree-reduce.js';
import { SUBGROUP_ARGS, SUBGROUP_BUILTINS, SUBGROUP_DIRECTIVES, SUBGROUP_PARAMS, subgroupExtreme, subgroupSum, subgroupTreeReduce } from './subgroup-reduce.js';

/**
 * Fused softmax/log-softmax and cross-entropy, which eager composition runs in several passes: one workgroup per
 * row computes the row's max, then its sum of exponentials, then the result. With `subgroups`, both row
 * reductions fold within each subgroup first (./subgroup-reduce.ts).
 */

export const ROW_WORKGROUP = 64;

/** `rows` rows of `length` elements: the last axis of the view `xView` of `shape` (rank 1 or more). */
export const softmaxParams = tablesBy((rank: number) => paramTable(u32('rows'), u32('length'), u32s('shape', rank), view('xView', rank)));

/** The logits [rows, classes] as a softmax row view (length = classes), then the int32 targets' view. */
export const crossEntropyParams = paramTable(u32('rows'), u32('length'), u32s('shape', 2), view('xView', 2), view('targetView', 1));

/** `fn row_off(o, r)`: buffer index of element `r` of row `o`; `o` walks the leading axes. */
function rowOffsetFn(rank: number): string {
  const walk = stridedWalk('o', [0, rank - 1], shapeAxis, [{ offset: 'off', stride: strideOf('params.xView') }]);
  return `fn row_off(o: u32, r: u32) -> u32 {
  var off = params.xView.offset + r * params.xView.strides[${rank - 1}u];
${walk}  return off;
}`;
}

/** How a kernel's per-row reductions combine a workgroup: shared-memory tree, or subgroups first. */
interface RowCombine {
  /** Extra parameters of the helper functions, and the arguments that pass them. */
  params: string;
  args: string;
  max: string;
  sum: string;
}

const NAN_WINS = 'let a = scratch[l]; let b = scratch[l + s]; if (!is_nan(a) && (is_nan(b) || b > a)) { scratch[l] = b; }';
const ADD = 'scratch[l] = scratch[l] + scratch[l + s];';

function rowCombine(subgroups: boolean): RowCombine {
  if (!subgroups) {
    return { params: '', args: '', max: treeReduce(ROW_WORKGROUP, 'scratch[l] = m;', NAN_WINS), sum: treeReduce(ROW_WORKGROUP, 'scratch[l] = acc;', ADD) };
  }
  return {
    params: `, ${SUBGROUP_PARAMS}`,
    args: `, ${SUBGROUP_ARGS}`,
    max: subgroupTreeReduce(subgroupExtreme('sm', 'm', 'max', true), 'scratch[sg_id] = sm;', NAN_WINS),
    sum: subgroupTreeReduce(subgroupSum('ss', 'acc', '+', ROW_WORKGROUP), 'scratch[sg_id] = ss;', ADD),
  };
}

/** Shared part: per-row max and sum of exp(x - max), each a tree reduction in workgroup memory. */
function rowStats(c: RowCombine): string {
  return `${workgroupSlots('scratch', 'f32', ROW_WORKGROUP)}
fn row_max(o: u32, l: u32${c.params}) -> f32 {
  var m = -inf_f32();
  for (var r = l; r < params.length; r += ${ROW_WORKGROUP}u) { let v = x[row_off(o, r)]; if (is_nan(v) || v > m) { m = select(v, m, is_nan(m)); } }
${c.max}  let result = scratch[0];
  workgroupBarrier();
  return result;
}
// A row whose max is NaN or infinite is NaN throughout in PyTorch (x - max has a NaN); decided here from the bits,
// because adapters may not keep NaN through exp and inf - inf (SwiftShader does not).
fn row_is_nan(m: f32) -> bool { return (bitcast<u32>(m) & 0x7fffffffu) >= 0x7f800000u; }
fn row_sum_exp(o: u32, l: u32, m: f32${c.params}) -> f32 {
  var acc = 0.0;
  for (var r = l; r < params.length; r += ${ROW_WORKGROUP}u) { acc += exp(x[row_off(o, r)] - m); }
${c.sum}  let result = scratch[0];
  workgroupBarrier();
  return result;
}`;
}

export function softmaxShader(rank: number, log: boolean, subgroups = false): string {
  const write = log ? 'x[i] - m - log(total)' : 'exp(x[i] - m) / total';
  const c = rowCombine(subgroups);
  return `${subgroups ? SUBGROUP_DIRECTIVES : ''}${softmaxParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${WGSL_COMMON}
${rowOffsetFn(rank)}
${rowStats(c)}
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32${subgroups ? `, ${SUBGROUP_BUILTINS}` : ''}) {
  let o = min(wid.x + wid.y * nwg.x, params.rows - 1u); // rows past the end recompute the last row, keeping barriers uniform
  let m = row_max(o, l${c.args});
  let total = row_sum_exp(o, l, m${c.args});
  for (var r = l; r < params.length; r += ${ROW_WORKGROUP}u) {
    let i = row_off(o, r);
    out[o * params.length + r] = select(${write}, nan_f32(), row_is_nan(m));
  }
}`;
}

export function crossEntropyShader(subgroups = false): string {
  const c = rowCombine(subgroups);
  return `${subgroups ? SUBGROUP_DIRECTIVES : ''}${crossEntropyParams.wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> target_index: array<i32>;
${statusWgsl(4)}
${WGSL_COMMON}
${rowOffsetFn(2)}
${rowStats(c)}
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32${subgroups ? `, ${SUBGROUP_BUILTINS}` : ''}) {
  let o = min(wid.x + wid.y * nwg.x, params.rows - 1u);
  let m = row_max(o, l${c.args});
  let total = row_sum_exp(o, l, m${c.args});
  if (l == 0u) {
    let t = target_index[params.targetView.offset + o * params.targetView.strides[0u]];
    var k = 0u;
    if (t < 0 || u32(t) >= params.length) { flag_index(t); } else { k = u32(t); }
    out[o] = select(log(total) + m - x[row_off(o, k)], nan_f32(), row_is_nan(m));
  }
}`;
}
