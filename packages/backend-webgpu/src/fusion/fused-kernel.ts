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
  const lines: string[] = [];
  const keyParts: string[] = [];
  cluster.forEach((n, k) => {
    const args = n.inputs.map((input) => {
      if ('bits' in input) return `params.consts[${consts.push(input.bits) - 1}u]`;
      const r = readOf(input, shape);
      return r ? `r${readOfInput(r)}` : `v${index.get((input as { node: LazyNode }).node) as number}`;
    });
    const e = n.expr;
    const signature = `${e.names.map((name, i) => `${name}: ${e.inputs[i]}`).join(', ')}) -> ${e.out} { return ${e.expr}; }`;
    let f = fns.get(signature);
    if (f === undefined) fns.set(signature, (f = fns.size));
    lines.push(`  let v${k} = f${f}(${args.join(', ')});`);
    keyParts.push(`f${f}(${args.join(',')})`);
  });
  const readKey = reads.map((r) => `${WGSL_TYPE[r.read.buffer.dtype]}${isContiguous(r.read.view) ? 'c' : 's'}${r.binding}`);
  const storeKey = stores.map((s) => `v${index.get(s.node) as number}${isContiguous(s.view) ? 'c' : 's'}`);
  const fnKey = [...fns.keys()].join('|');
  const key = `fused:${rank}:${fnKey}:${keyParts.join(';')}:${readKey.join(',')}:${storeKey.join(',')}`;
  const views_: View[] = [...reads.map((r) => r.read.view), ...stores.map((s) => s.view)];
  const n = numelOf(shape);
  const params = fusedParams(rank, views_.length, consts.length).pack({ numel: n, shape, views: views_, consts });
  const source = (): string => {
    const bindings = operands.map(
      (b, i) => `@group(0) @binding(${i + 1}) var<storage, ${i < stores.length ? 'read_write' : 'read'}> b${i}: array<${WGSL_TYPE[b.dtype]}>;`,
    );
    const offsets = views_.map((v, j) => viewOffsetFn(`o${j}`, `params.views[${j}u]`, rank, isContiguous(v)));
    const functions = [...fns.keys()].map((sig, f) => `fn f${f}(${sig}`);
    const loads = reads.map((r, j) => `  let r${j} = b${r.binding}[o${j}(i)];`);
    const writes = stores.map((s, m) => `  b${m}[o${reads.length + m}(i)] = v${index.get(s.node) as number};`);
    return `${fusedParams(rank, views_.length, consts.length).wgsl}
${bindings.join('\n')}
${WGSL_COMMON}
${MATH_WGSL}
${offsets.join('\n')}
${functions.join('\n')}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
${loads.join('\n')}
${lines.join('\n')}
${writes.join('\n')}
}`;
  };
  const label = cluster.length === 1 ? cluster[0].label : `fused(${cluster.map((c) => c.label).join(',')})`;
  return { key, source, operands, params, workgroups: linearWorkgroups(n), label };
}
