import type { DType } from '@descent/backend';
import { LINEAR_INDEX, WGSL_TYPE } from '../wgsl-types.js';

/**
 * gather: `out[c] = x[c with c[dim] = index[c]]` over the index's shape. Parameters: p[0] = numel,
 * p[1] = size of x along dim, p[2..2+rank] = index shape, then index view (offset, strides), then x view.
 * An index out of range sets `status` (checked at the next sync) and reads element 0 instead.
 */
export function gatherShader(dtype: DType, rank: number, dim: number): string {
  const t = WGSL_TYPE[dtype];
  const idxBase = 2 + rank;
  const xBase = idxBase + rank + 1;
  let walk = '  var rem = i;\n  var ioff = p[' + idxBase + 'u];\n  var xoff = p[' + xBase + 'u];\n  var cdim = 0u;\n';
  for (let d = rank - 1; d >= 0; d--) {
    walk += `  { let size = p[${2 + d}u]; let c = rem % size; rem = rem / size; ioff += c * p[${idxBase + 1 + d}u];${
      d === dim ? '' : ` xoff += c * p[${xBase + 1 + d}u];`
    } }\n`;
  }
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
@group(0) @binding(3) var<storage, read> index: array<i32>;
@group(0) @binding(4) var<storage, read_write> status: array<atomic<u32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= p[0]) { return; }
${walk}  let j = index[ioff];
  var k = 0u;
  if (j < 0 || u32(j) >= p[1]) { atomicMax(&status[0], 1u); } else { k = u32(j); }
  out[i] = x[xoff + k * p[${xBase + 1 + dim}u]];
}`;
}

/**
 * scatterAdd into zeros of `shape`, output-parallel so it is deterministic without float atomics: each output
 * element sums the `src` entries whose index along `dim` points at it. Parameters: p[0] = numel(shape),
 * p[1..1+rank] = shape, p[1+rank..1+2*rank] = index shape, then index view, then src view.
 */
export function scatterAddShader(dtype: DType, rank: number, dim: number): string {
  const t = WGSL_TYPE[dtype];
  const ishape = 1 + rank;
  const idxBase = 1 + 2 * rank;
  const srcBase = idxBase + rank + 1;
  let walk = '  var rem = i;\n  var ibase = p[' + idxBase + 'u];\n  var sbase = p[' + srcBase + 'u];\n  var dest = 0u;\n  var inside = true;\n';
  for (let d = rank - 1; d >= 0; d--) {
    walk += `  { let size = p[${1 + d}u]; let c = rem % size; rem = rem / size;`;
    walk +=
      d === dim
        ? ' dest = c; }\n'
        : ` if (c >= p[${ishape + d}u]) { inside = false; } ibase += c * p[${idxBase + 1 + d}u]; sbase += c * p[${srcBase + 1 + d}u]; }\n`;
  }
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> index: array<i32>;
@group(0) @binding(3) var<storage, read> src: array<${t}>;
@group(0) @binding(4) var<storage, read_write> status: array<atomic<u32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= p[0]) { return; }
${walk}  var acc = ${t}(0);
  if (inside) {
    for (var q = 0u; q < p[${ishape + dim}u]; q++) {
      let j = index[ibase + q * p[${idxBase + 1 + dim}u]];
      if (j < 0 || u32(j) >= p[${1 + dim}u]) { atomicMax(&status[0], 1u); }
      if (j == i32(dest)) { acc = acc + src[sbase + q * p[${srcBase + 1 + dim}u]]; }
    }
  }
  out[i] = acc;
}`;
}
