import type { DType } from '@descent/backend';
import { WGSL_TYPE } from '../wgsl-types.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { paramTable, tablesBy, u32, u32s, view } from './params.js';
import { viewOffsetFn } from './strided.js';

/**
 * The kernels that write through a destination view instead of into a fresh buffer, so in-place ops can update
 * slices: copy (one view into another of the same shape) and fill.
 */

export const copyParams = tablesBy((rank: number) => paramTable(u32('numel'), u32s('shape', rank), view('srcView', rank), view('dstView', rank)));

/** `bits`: the fill value's bits in the destination's WGSL type. */
export const fillParams = tablesBy((rank: number) => paramTable(u32('numel'), u32s('shape', rank), view('dstView', rank), u32('bits')));

export function copyShader(dtype: DType, rank: number, srcContiguous: boolean, dstContiguous: boolean): string {
  const t = WGSL_TYPE[dtype];
  return `${copyParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> dst: array<${t}>;
@group(0) @binding(2) var<storage, read> src: array<${t}>;
${viewOffsetFn('src_off', 'params.srcView', rank, srcContiguous)}
${viewOffsetFn('dst_off', 'params.dstView', rank, dstContiguous)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  dst[dst_off(i)] = src[src_off(i)];
}`;
}

export function fillShader(dtype: DType, rank: number, contiguous: boolean): string {
  const t = WGSL_TYPE[dtype];
  return `${fillParams(rank).wgsl}
@group(0) @binding(1) var<storage, read_write> dst: array<${t}>;
${viewOffsetFn('dst_off', 'params.dstView', rank, contiguous)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  dst[dst_off(i)] = bitcast<${t}>(params.bits);
}`;
}
