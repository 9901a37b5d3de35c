/**
 * A pending elementwise value: an op over its inputs whose kernel is not encoded yet (./fusion.ts decides when).
 * Inputs are either other pending nodes, read element for element (same shape, contiguous, offset 0), or
 * materialized buffers read through any strided view (a leaf). A pending matmul is a node too: its inputs are its
 * two operands (leaves, read whole), and the kernel of a cluster that holds it is a matmul kernel (./epilogue.ts).
 */

import type { DType, Operand, View } from '@descent/backend';
import type { ElementwiseExpr } from '../kernels/elementwise.js';
import type { GpuBuffer } from '../memory.js';

/** A pending node, a buffer read through a view, or a constant's bits (a lazy fill; a kernel parameter). */
export type LazyInput = { readonly node: LazyNode } | { readonly leaf: Operand<GpuBuffer> } | { readonly bits: number };

export interface LazyNode {
  expr: ElementwiseExpr;
  inputs: readonly LazyInput[];
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The op's name, for the fused kernel's label (batch errors name it). */
  readonly label: string;
  /** Where the value is stored when materialized; null once the tensor layer freed it (its users inline it). */
  out: GpuBuffer | null;
  /** 'stored': its value is in `out`; 'dropped': freed with no user left, never computed. */
  state: 'pending' | 'stored' | 'dropped';
  /** Pending nodes that take this one as an input. */
  users: number;
  /** Only reads a view another op wrote (a fused copy's source): its value is in memory already. */
  alias: boolean;
  /** A fill or an alias: freed unread, nothing is lost by never computing it. */
  cheap: boolean;
  /** A matmul's product, [batch, m, n] ([batch, m, k] @ [batch, k, n]); its `expr` is never compiled. */
  readonly matmul?: true;
  /**
   * The pending matmul this node is computed from (itself, for one), set when it is created: it holds while that
   * matmul is pending, since storing any node between them stores or drops the matmul too (see `productOf`).
   */
  product: LazyNode | null;
}

/** The pending matmul in `node`'s cluster, if any: a cluster holds at most one (./fusion.ts). */
export function productOf(node: LazyNode): LazyNode | null {
  return node.product !== null && node.product.state === 'pending' ? node.product : null;
}

/** Whether `view` reads a buffer of `shape` element for element (what inlining a pending input needs). */
export function isIdentity(view: View, shape: readonly number[]): boolean {
  if (view.offset !== 0 || view.shape.length !== shape.length) return false;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (view.shape[d] !== shape[d]) return false;
    if (shape[d] !== 1 && view.strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/** Same addresses for every element (sizes-1 axes' strides do not matter). */
export function sameView(a: View, b: View): boolean {
  if (a.offset !== b.offset || a.shape.length !== b.shape.length) return false;
  for (let d = 0; d < a.shape.length; d++) {
    if (a.shape[d] !== b.shape[d] || (a.shape[d] !== 1 && a.strides[d] !== b.strides[d])) return false;
  }
  return true;
}

/** The pending nodes `root` is computed from, inputs before users (root last). */
export function clusterOf(root: LazyNode): LazyNode[] {
  const order: LazyNode[] = [];
  const seen = new Set<LazyNode>();
  const visit = (n: LazyNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const input of n.inputs) if ('node' in input && input.node.state === 'pending') visit(input.node);
    order.push(n);
  };
  visit(root);
  return order;
}

/** One buffer read of a fused kernel: a leaf's view, or a stored node's whole buffer. */
export interface Read {
  readonly buffer: GpuBuffer;
  readonly view: View;
}

/** What a pending input resolves to in a kernel: a value computed in it, or a read. */
export function readOf(input: LazyInput, shape: readonly number[]): Read | null {
  if ('leaf' in input) return input.leaf;
  if (!('node' in input)) return null;
  const n = input.node;
  if (n.state !== 'stored' || n.out === null) return null;
  return { buffer: n.out, view: { shape, strides: contiguous(shape), offset: 0 } };
}

function contiguous(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** Every read of `cluster` (in order of first use) and the nodes it stores besides `root` (those not freed). */
export function clusterIO(cluster: readonly LazyNode[], root: LazyNode): { reads: Read[]; stored: LazyNode[] } {
  const reads: Read[] = [];
  for (const n of cluster) {
    for (const input of n.inputs) {
      const r = readOf(input, n.shape);
      if (r) reads.push(r);
    }
  }
  return { reads, stored: cluster.filter((n) => n !== root && n.out !== null) };
}

/** Whether anything `node` is computed from reads `buffer`'s memory (before it is written or freed). */
export function readsBuffer(node: LazyNode, buffer: GpuBuffer): boolean {
  for (const n of clusterOf(node)) {
    for (const input of n.inputs) {
      const r = readOf(input, n.shape);
      if (r && r.buffer.block === buffer.block) return true;
    }
  }
  return false;
}
