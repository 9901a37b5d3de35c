import type { DType, ReduceOp } from '@descent/backend';
import { WGSL_COMMON, WGSL_TYPE } from '../wgsl-types.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { paramTable, tablesBy, u32, u32s, view } from './params.js';
import { shapeAxis, stridedWalk, strideOf } from './strided.js';
import { treeReduce, workgroupSlots } from './tree-reduce.js';
import { cascadeSum } from './cascade-sum.js';
import { SUBGROUP_BUILTINS, SUBGROUP_DIRECTIVES, subgroupReduceFold, subgroupTreeReduce } from './subgroup-reduce.js';

/**
 * Reductions over the trailing `reducedDims` axes of a strided view. Long axes use a workgroup per output and a
 * tree reduction in workgroup memory (with `subgroups`, a fold within each subgroup first: ./subgroup-reduce.ts);
 * short ones a thread per output.
 */
export const REDUCE_WORKGROUP = 128;

/** `outputs` results of `perOutput` elements each, from the view `xView` of `shape`. */
export const reduceParams = tablesBy((rank: number) => paramTable(u32('outputs'), u32('perOutput'), u32s('shape', rank), view('xView', rank)));

interface Combine {
  init: (t: string) => string;
  /** Folds value `v` at reduce position `r` into (`acc`, `idx`). */
  step: (t: string) => string;
}

const COMBINE: Record<ReduceOp, Combine> = {
  sum: { init: (t) => `${t}(0)`, step: () => 'acc = acc + v;' },
  prod: { init: (t) => `${t}(1)`, step: () => 'acc = acc * v;' },
  max: {
    init: (t) => (t === 'f32' ? '-inf_f32()' : t === 'i32' ? '-2147483647 - 1' : '0u'),
    step: (t) => (t === 'f32' ? 'if (!is_nan(acc) && (is_nan(v) || v > acc)) { acc = v; }' : 'acc = max(acc, v);'),
  },
  min: {
    init: (t) => (t === 'f32' ? 'inf_f32()' : t === 'i32' ? '2147483647' : '0xffffffffu'),
    step: (t) => (t === 'f32' ? 'if (!is_nan(acc) && (is_nan(v) || v < acc)) { acc = v; }' : 'acc = min(acc, v);'),
  },
  argmax: {
    init: (t) => (t === 'f32' ? '-inf_f32()' : t === 'i32' ? '-2147483647 - 1' : '0u'),
    step: (t) =>
      t === 'f32'
        ? 'if (idx == NONE || (!is_nan(acc) && (is_nan(v) || v > acc))) { acc = v; idx = r; }'
        : 'if (idx == NONE || v > acc) { acc = v; idx = r; }',
  },
  argmin: {
    init: (t) => (t === 'f32' ? 'inf_f32()' : t === 'i32' ? '2147483647' : '0xffffffffu'),
    step: (t) =>
      t === 'f32'
        ? 'if (idx == NONE || (!is_nan(acc) && (is_nan(v) || v < acc))) { acc = v; idx = r; }'
        : 'if (idx == NONE || v < acc) { acc = v; idx = r; }',
  },
};

function isArg(op: ReduceOp): boolean {
  return op === 'argmax' || op === 'argmin';
}

/**
 * `fn in_off(o: u32, r: u32) -> u32`: buffer index of reduce element `r` of output `o`: `r` walks the reduced
 * (trailing) axes, `o` the kept ones.
 */
function offsetFn(rank: number, reducedDims: number): string {
  const keep = rank - reducedDims;
  const target = [{ offset: 'off', stride: strideOf('params.xView') }];
  return `fn in_off(o: u32, r: u32) -> u32 {
  var off = params.xView.offset;
${stridedWalk('r', [keep, rank], shapeAxis, target)}${stridedWalk('o', [0, keep], shapeAxis, target)}  return off;
}`;
}

export function reduceShader(op: ReduceOp, dtype: DType, rank: number, reducedDims: number, perWorkgroup: boolean, subgroups = false): string {
  const t = WGSL_TYPE[dtype];
  const outType = isArg(op) ? 'i32' : t;
  const c = COMBINE[op];
  const withSubgroups = subgroups && perWorkgroup;
  const header = `${withSubgroups ? SUBGROUP_DIRECTIVES : ''}${reduceParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
const NONE = 0xffffffffu;
${WGSL_COMMON}
${offsetFn(rank, reducedDims)}`;
  const result = isArg(op) ? 'i32(select(idx, 0u, idx == NONE))' : 'acc';
  // Float sums fold each thread's terms in a cascade (cascade-sum.ts) instead of one running sum.
  const cascade = op === 'sum' && t === 'f32';
  const load = (r: string) => `x[in_off(o, ${r})]`;
  if (!perWorkgroup) {
    return `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = ${LINEAR_INDEX};
  if (o >= params.outputs) { return; }
  var acc: ${t} = ${c.init(t)};
  var idx = NONE;
  ${cascade ? cascadeSum('0u', '1u', 'params.perOutput', load) : `for (var r = 0u; r < params.perOutput; r++) {
    let v = x[in_off(o, r)];
    ${c.step(t)}
  }`}
  out[o] = ${result};
}`;
  }
  // Tree version: each thread folds a strided share, then pairs combine in workgroup memory. Combining keeps the
  // earlier position on ties, so argmax/argmin return the first occurrence as on the CPU.
  const merge = isArg(op)
    ? t === 'f32'
      ? `let better = (oi != NONE && (ai == NONE || (!is_nan(a) && (is_nan(b) || ${op === 'argmax' ? 'b > a' : 'b < a'} || (b == a && oi < ai))))) || (is_nan(a) && is_nan(b) && oi < ai);`
      : `let better = oi != NONE && (ai == NONE || ${op === 'argmax' ? 'b > a' : 'b < a'} || (b == a && oi < ai));`
    : '';
  const combinePair = isArg(op)
    ? `let a = vals[l]; let b = vals[l + s]; let ai = idxs[l]; let oi = idxs[l + s];
      ${merge}
      if (better) { vals[l] = b; idxs[l] = oi; }`
    : op === 'sum'
      ? 'vals[l] = vals[l] + vals[l + s];'
      : op === 'prod'
        ? 'vals[l] = vals[l] * vals[l + s];'
        : t === 'f32'
          ? `{ var acc = vals[l]; let v = vals[l + s]; ${c.step(t)} vals[l] = acc; }`
          : `vals[l] = ${op}(vals[l], vals[l + s]);`;
  const combineAll = withSubgroups
    ? subgroupTreeReduce(subgroupReduceFold(op, t, REDUCE_WORKGROUP), `vals[sg_id] = sv;${isArg(op) ? ' idxs[sg_id] = si;' : ''}`, combinePair)
    : treeReduce(REDUCE_WORKGROUP, 'vals[l] = acc; idxs[l] = idx;', combinePair);
  return `${header}
${workgroupSlots('vals', t, REDUCE_WORKGROUP)}
${workgroupSlots('idxs', 'u32', REDUCE_WORKGROUP)}
@compute @workgroup_size(${REDUCE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32${withSubgroups ? `, ${SUBGROUP_BUILTINS}` : ''}) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < params.outputs;
  var acc: ${t} = ${c.init(t)};
  var idx = NONE;
  if (live) {
    ${cascade ? cascadeSum('l', `${REDUCE_WORKGROUP}u`, 'params.perOutput', load) : `for (var r = l; r < params.perOutput; r += ${REDUCE_WORKGROUP}u) {
      let v = x[in_off(o, r)];
      ${c.step(t)}
    }`}
  }
${combineAll}  if (live && l == 0u) {
    let acc = vals[0];
    let idx = idxs[0];
    out[o] = ${result};
  }
}`;
}
