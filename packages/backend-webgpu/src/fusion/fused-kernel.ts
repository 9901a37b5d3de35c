/**
 * One WGSL kernel for a cluster of pending elementwise nodes (./lazy-node.ts): every invocation reads its element
 * of each leaf view once, computes the nodes in order (each op is a function taking its inputs, the same
 * expressions as the unfused kernels, so NaN rules and wrap-around are the same), and stores the root and every
 * node the tensor layer still holds.
 */

import { isContiguous, numelOf, type View } from '@descent/backend';
import type { GpuBuffer } from '../memory.js';
import { MATH_WGSL } from '../kernels/elementwise.js';
import { LINEAR_INDEX, linearWorkgroups } from '../kernels/linear-dispatch.js';
import { paramTable, tablesBy, u32, u32s, views } from '../kernels/params.js';
import { viewOffsetFn } from '../kernels/strided.js';
import { WGSL_COMMON, WGSL_TYPE } from '../wgsl-types.js';
import { readOf, type LazyNode, type Read } from './lazy-node.js';

/** Parameters: the shape walked, then one view per read and per store. */
export const fusedParams = tablesBy((rank: number, count: number, consts: number) =>
  paramTable(u32('numel'), u32s('shape', rank), views('views', rank, count), u32s('consts', consts)),
);

/** A store of the kernel: a node's value into a view of a buffer (its own, or a fused copy's destination). */
export interface Store {
  readonly node: LazyNode;
  readonly buffer: GpuBuffer;
  readonly view: View;
}

export interface FusedKernel {
  readonly key: string;
  readonly source: () => string;
  /** Storage bindings in shader order: the stores' buffers, then each distinct read buffer. */
  readonly operands: GpuBuffer[];
  readonly params: number[];
  readonly workgroups: [number, number, number];
  readonly label: string;
}

/** Builds the kernel computing `cluster` (inputs before users) and writing `stores`. */
export function fusedKernel(cluster: readonly LazyNode[], stores: readonly Store[]): FusedKernel {
  const shape = cluster[cluster.length - 1].shape;
  const rank = shape.length;
  const index = new Map(cluster.map((n, k) => [n, k]));
  // Reads deduplicated by (buffer, view); bindings by buffer. Stores come first in the bindings.
  const operands: GpuBuffer[] = stores.map((s) => s.buffer);
  const bindingOf = new Map<GpuBuffer, number>();
  const reads: { read: Read; binding: number; key: string }[] = [];
  const readIndex = new Map<string, number>();
  const readOfInput = (r: Read): number => {
    let b = bindingOf.get(r.buffer);
    if (b === undefined) {
      b = operands.length;
      operands.push(r.buffer);
      bindingOf.set(r.buffer, b);
    }
    const key = `${b}@${r.view.offset}/${r.view.strides.join(',')}`;
    let j = readIndex.get(key);
    if (j === undefined) {
      j = reads.length;
      reads.push({ read: r, binding: b, key });
      readIndex.set(key, j);
    }
    return j;
  };
  const consts: number[] = [];
  const fns = new Map<string, number>();
  // Per node: its function and arguments (`r3` a read, `v2` a value, or a constant parameter).
  const calls = cluster.map((n) => {
    const args = n.inputs.map((input) => {
      if ('bits' in input) return `params.consts[${consts.push(input.bits) - 1}u]`;
      const r = readOf(input, shape);
      return r ? `r${readOfInput(r)}` : `v${index.get((input as { node: LazyNode }).node) as number}`;
    });
    const e = n.expr;
    const signature = `${e.names.map((name, i) => `${name}: ${e.inputs[i]}`).join(', ')}) -> ${e.out} { return ${e.expr}; }`;
    let f = fns.get(signature);
    if (f === undefined) fns.set(signature, (f = fns.size));
    return { f, args };
  });
  const n = numelOf(shape);
  const views_: View[] = [...reads.map((r) => r.read.view), ...stores.map((s) => s.view)];
  // All contiguous and 4-aligned (the common case): each invocation moves 4 elements as vec4 loads and stores.
  const vec4 = n % 4 === 0 && views_.every((v) => v.offset % 4 === 0 && isContiguous(v));
  const readKey = reads.map((r) => `${WGSL_TYPE[r.read.buffer.dtype]}${isContiguous(r.read.view) ? 'c' : 's'}${r.binding}`);
  const storeKey = stores.map((s) => `v${index.get(s.node) as number}${isContiguous(s.view) ? 'c' : 's'}`);
  const callKey = calls.map((c) => `f${c.f}(${c.args.join(',')})`);
  const key = `fused:${rank}:${vec4 ? 'v4' : 's'}:${[...fns.keys()].join('|')}:${callKey.join(';')}:${readKey.join(',')}:${storeKey.join(',')}`;
  const table = fusedParams(rank, views_.length, consts.length);
  const params = table.pack({ numel: n, shape, views: views_, consts });
  const source = (): string => {
    const element = (b: GpuBuffer): string => (vec4 ? `vec4<${WGSL_TYPE[b.dtype]}>` : WGSL_TYPE[b.dtype]);
    const bindings = operands.map(
      (b, i) => `@group(0) @binding(${i + 1}) var<storage, ${i < stores.length ? 'read_write' : 'read'}> b${i}: array<${element(b)}>;`,
    );
    const at = (j: number): string => (vec4 ? `params.views[${j}u].offset / 4u + i` : `o${j}(i)`);
    const offsets = vec4 ? [] : views_.map((v, j) => viewOffsetFn(`o${j}`, `params.views[${j}u]`, rank, isContiguous(v)));
    const functions = [...fns.keys()].map((sig, f) => `fn f${f}(${sig}`);
    const loads = reads.map((r, j) => `  let r${j} = b${r.binding}[${at(j)}];`);
    const lanes = vec4 ? [0, 1, 2, 3] : [-1];
    const lane = (name: string, c: number): string => (c < 0 || name.startsWith('params') ? name : name[0] === 'r' ? `${name}[${c}]` : `${name}_${c}`);
    const value = (k: number, c: number): string => (c < 0 ? `v${k}` : `v${k}_${c}`);
    const lines = lanes.flatMap((c) => calls.map((call, k) => `  let ${value(k, c)} = f${call.f}(${call.args.map((a) => lane(a, c)).join(', ')});`));
    const writes = stores.map((s, m) => {
      const k = index.get(s.node) as number;
      const v = vec4 ? `vec4<${WGSL_TYPE[s.buffer.dtype]}>(${lanes.map((c) => value(k, c)).join(', ')})` : value(k, -1);
      return `  b${m}[${at(reads.length + m)}] = ${v};`;
    });
    return `${table.wgsl}
${bindings.join('\n')}
${WGSL_COMMON}
${MATH_WGSL}
${offsets.join('\n')}
${functions.join('\n')}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel${vec4 ? ' / 4u' : ''}) { return; }
${loads.join('\n')}
${lines.join('\n')}
${writes.join('\n')}
}`;
  };
  const label = cluster.length === 1 ? cluster[0].label : `fused(${cluster.map((c) => c.label).join(',')})`;
  return { key, source, operands, params, workgroups: linearWorkgroups(vec4 ? n / 4 : n), label };
}
