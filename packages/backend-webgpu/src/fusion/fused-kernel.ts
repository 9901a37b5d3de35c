/**
 * One WGSL kernel for a cluster of pending elementwise nodes (./lazy-node.ts): every invocation reads its element
 * of each leaf view once, computes the nodes in order (each op is a function taking its inputs, the same
 * expressions as the unfused kernels, so NaN rules and wrap-around are the same), and stores the root and every
 * node the tensor layer still holds. The per-element code (`clusterCode`) is shared with a matmul's store step
 * (./epilogue.ts), where the cluster's pending matmul is the product element the kernel has just computed.
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

/** One dispatch of a kernel: its parameter words and workgroups. */
export interface FusedDispatch {
  readonly params: number[];
  readonly workgroups: [number, number, number];
}

export interface FusedKernel {
  readonly key: string;
  readonly source: () => string;
  /** Storage bindings in shader order. */
  readonly operands: GpuBuffer[];
  /** One, but for a matmul whose output has more tiles than a dispatch runs (./epilogue.ts). */
  readonly dispatches: FusedDispatch[];
  readonly label: string;
}

/** The WGSL of a cluster at one element, with what its kernel binds and packs. */
export interface ClusterCode {
  /** The shape walked: the root's. */
  readonly shape: readonly number[];
  /** Storage buffers: the stores', then each distinct read buffer (named `buf0`, `buf1`, ... in the shader). */
  readonly operands: GpuBuffer[];
  /** The views the parameters carry: each read's, then each store's. */
  readonly views: View[];
  readonly consts: number[];
  /** What the WGSL depends on (ops, reads, stores and their contiguity), never sizes. */
  readonly key: string;
  readonly label: string;
  /** Every view contiguous and 4-aligned over a multiple of 4 elements: the code can move vec4s. */
  readonly vec4: boolean;
  /** Bindings (operand j at `binding(j)`), helpers, view offset functions and the ops' functions. */
  declarations(binding: (j: number) => number, vec4: boolean): string;
  /** Statements computing the cluster at element `i` (with vec4, elements 4i to 4i + 3) and storing it. */
  body(vec4: boolean): string;
}

const SIGNATURES = new WeakMap<LazyNode['expr'], string>();

/** An op's WGSL function after its name: `(a: f32, b: f32) -> f32 { return a + b; }`, built once per expression. */
function signatureOf(e: LazyNode['expr']): string {
  let signature = SIGNATURES.get(e);
  if (signature === undefined) {
    signature = `${e.names.map((name, i) => `${name}: ${e.inputs[i]}`).join(', ')}) -> ${e.out} { return ${e.expr}; }`;
    SIGNATURES.set(e, signature);
  }
  return signature;
}

/**
 * The code of `cluster` (inputs before users) writing `stores`. A pending matmul in it (at most one) is not
 * computed here: its value is `acc`, the product element of the matmul kernel whose store step this is.
 */
export function clusterCode(cluster: readonly LazyNode[], stores: readonly Store[]): ClusterCode {
  const shape = cluster[cluster.length - 1].shape;
  const rank = shape.length;
  const index = new Map(cluster.map((n, k) => [n, k]));
  // Reads deduplicated by (buffer, view); bindings by buffer. Stores come first in the bindings.
  const operands: GpuBuffer[] = stores.map((s) => s.buffer);
  const bindingOf = new Map<GpuBuffer, number>();
  const reads: { read: Read; binding: number }[] = [];
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
      reads.push({ read: r, binding: b });
      readIndex.set(key, j);
    }
    return j;
  };
  const consts: number[] = [];
  const fns = new Map<string, number>();
  // Per node: its function and arguments (`r3` a read, `v2` a value, or a constant parameter); f = -1 is the product.
  const calls = cluster.map((n) => {
    if (n.matmul) return { f: -1, args: [] };
    const args = n.inputs.map((input) => {
      if ('bits' in input) return `params.consts[${consts.push(input.bits) - 1}u]`;
      const r = readOf(input, shape);
      return r ? `r${readOfInput(r)}` : `v${index.get((input as { node: LazyNode }).node) as number}`;
    });
    const signature = signatureOf(n.expr);
    let f = fns.get(signature);
    if (f === undefined) fns.set(signature, (f = fns.size));
    return { f, args };
  });
  const views_: View[] = [...reads.map((r) => r.read.view), ...stores.map((s) => s.view)];
  const n = numelOf(shape);
  const readKey = reads.map((r) => `${WGSL_TYPE[r.read.buffer.dtype]}${isContiguous(r.read.view) ? 'c' : 's'}${r.binding}`);
  const storeKey = stores.map((s) => `v${index.get(s.node) as number}${isContiguous(s.view) ? 'c' : 's'}`);
  const callKey = calls.map((c) => (c.f < 0 ? 'acc' : `f${c.f}(${c.args.join(',')})`));
  const declarations = (binding: (j: number) => number, vec4: boolean): string => {
    const element = (b: GpuBuffer): string => (vec4 ? `vec4<${WGSL_TYPE[b.dtype]}>` : WGSL_TYPE[b.dtype]);
    const bindings = operands.map(
      (b, j) => `@group(0) @binding(${binding(j)}) var<storage, ${j < stores.length ? 'read_write' : 'read'}> buf${j}: array<${element(b)}>;`,
    );
    const offsets = vec4 ? [] : views_.map((v, j) => viewOffsetFn(`o${j}`, `params.views[${j}u]`, rank, isContiguous(v)));
    const functions = [...fns.keys()].map((sig, f) => `fn f${f}(${sig}`);
    return [...bindings, WGSL_COMMON, MATH_WGSL, ...offsets, ...functions].join('\n');
  };
  const body = (vec4: boolean): string => {
    const at = (j: number): string => (vec4 ? `params.views[${j}u].offset / 4u + i` : `o${j}(i)`);
    const loads = reads.map((r, j) => `  let r${j} = buf${r.binding}[${at(j)}];`);
    const lanes = vec4 ? [0, 1, 2, 3] : [-1];
    const lane = (name: string, c: number): string => (c < 0 || name.startsWith('params') ? name : name[0] === 'r' ? `${name}[${c}]` : `${name}_${c}`);
    const value = (k: number, c: number): string => (c < 0 ? `v${k}` : `v${k}_${c}`);
    const lines = lanes.flatMap((c) =>
      calls.map((call, k) => `  let ${value(k, c)} = ${call.f < 0 ? 'acc' : `f${call.f}(${call.args.map((a) => lane(a, c)).join(', ')})`};`),
    );
    const writes = stores.map((s, m) => {
      const k = index.get(s.node) as number;
      const v = vec4 ? `vec4<${WGSL_TYPE[s.buffer.dtype]}>(${lanes.map((c) => value(k, c)).join(', ')})` : value(k, -1);
      return `  buf${m}[${at(reads.length + m)}] = ${v};`;
    });
    return [...loads, ...lines, ...writes].join('\n');
  };
  return {
    shape,
    operands,
    views: views_,
    consts,
    key: `${rank}:${[...fns.keys()].join('|')}:${callKey.join(';')}:${readKey.join(',')}:${storeKey.join(',')}`,
    label: cluster.length === 1 ? cluster[0].label : `fused(${cluster.map((c) => c.label).join(',')})`,
    vec4: n % 4 === 0 && views_.every((v) => v.offset % 4 === 0 && isContiguous(v)),
    declarations,
    body,
  };
}

/** Builds the elementwise kernel computing `cluster` (inputs before users, no matmul) and writing `stores`. */
export function fusedKernel(cluster: readonly LazyNode[], stores: readonly Store[]): FusedKernel {
  const code = clusterCode(cluster, stores);
  const n = numelOf(code.shape);
  const vec4 = code.vec4;
  const table = fusedParams(code.shape.length, code.views.length, code.consts.length);
  const params = table.pack({ numel: n, shape: code.shape, views: code.views, consts: code.consts });
  const source = (): string => `${table.wgsl}
${code.declarations((j) => j + 1, vec4)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel${vec4 ? ' / 4u' : ''}) { return; }
${code.body(vec4)}
}`;
  return {
    key: `fused:${vec4 ? 'v4' : 's'}:${code.key}`,
    source,
    operands: code.operands,
    dispatches: [{ params, workgroups: linearWorkgroups(vec4 ? n / 4 : n) }],
    label: code.label,
  };
}
