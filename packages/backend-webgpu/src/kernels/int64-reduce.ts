import type { DType } from '@descent/backend';
import { WGSL_TYPE } from '../wgsl-types.js';
import { int64Wgsl } from './int64.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { REDUCE_WORKGROUP, reduceParams } from './reduce.js';
import { shapeAxis, stridedWalk, strideOf } from './strided.js';
import { treeReduce, workgroupSlots } from './tree-reduce.js';

/**
 * sum and prod of integers and bools, whose result is int64 as in PyTorch (any integer or bool `dtype` in, the
 * elements read as i32): accumulated in 64-bit two's complement (`vec2u`, ./int64.ts), PyTorch's int64 arithmetic
 * bit for bit, and narrowed to the i32 storage at the end, flagging an overflow only when the result itself does
 * not fit. Same parameters and dispatch shapes as ./reduce.ts (a thread per output, or a workgroup per output with
 * a tree reduction for long rows); integer sums are exact, so the order of the partial sums does not matter.
 */
export function int64ReduceShader(op: 'sum' | 'prod', dtype: DType, rank: number, reducedDims: number, perWorkgroup: boolean): string {
  const keep = rank - reducedDims;
  const target = [{ offset: 'off', stride: strideOf('params.xView') }];
  const fold = op === 'sum' ? 'add64' : 'mul64';
  const init = op === 'sum' ? 'vec2u(0u, 0u)' : 'vec2u(1u, 0u)';
  const header = `${reduceParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<${WGSL_TYPE[dtype]}>;
${int64Wgsl(3)}
fn in_off(o: u32, r: u32) -> u32 {
  var off = params.xView.offset;
${stridedWalk('r', [keep, rank], shapeAxis, target)}${stridedWalk('o', [0, keep], shapeAxis, target)}  return off;
}`;
  if (!perWorkgroup) {
    return `${header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = ${LINEAR_INDEX};
  if (o >= params.outputs) { return; }
  var acc = ${init};
  for (var r = 0u; r < params.perOutput; r++) { acc = ${fold}(acc, wide64(i32(x[in_off(o, r)]))); }
  out[o] = narrow64(acc);
}`;
  }
  return `${header}
${workgroupSlots('vals', 'vec2u', REDUCE_WORKGROUP)}
@compute @workgroup_size(${REDUCE_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < params.outputs;
  var acc = ${init};
  if (live) {
    for (var r = l; r < params.perOutput; r += ${REDUCE_WORKGROUP}u) { acc = ${fold}(acc, wide64(i32(x[in_off(o, r)]))); }
  }
${treeReduce(REDUCE_WORKGROUP, 'vals[l] = acc;', `vals[l] = ${fold}(vals[l], vals[l + s]);`)}  if (live && l == 0u) {
    out[o] = narrow64(vals[0]);
  }
}`;
}
