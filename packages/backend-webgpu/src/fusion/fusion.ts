/**
 * Lazy elementwise fusion. The backend spec is op by op, so an elementwise op (unary, binary, where, cast) returns
 * a buffer whose kernel is not encoded yet: a pending node over its inputs (./lazy-node.ts). A chain of them is
 * encoded as one kernel (./fused-kernel.ts) when its value is needed: read, synced, bound by another kernel,
 * freed with no pending user, about to be overwritten or freed while a pending node reads it, or copied into a
 * view (the copy becomes the kernel's store: `x.add_(y)` is one pass).
 *
 * A matmul is pending too (`matmul`), so the elementwise ops that read its product (a bias add broadcast along the
 * rows, then relu) run in the matmul kernel's store step (./epilogue.ts): one kernel, the product never read back
 * from memory. Its operands are read whole, so pending ones are encoded first; alone, it is the plain kernel.
 *
 * Invariants:
 * - A buffer a pending node reads is never written or returned to the pool first (`beforeWrite`, `beforeFree`).
 * - A node's kernel binds at most `maxBindings` buffers: checked when it is created, counting every node the
 *   tensor layer still holds as a store; materializing or freeing parts of a cluster never adds bindings.
 * - A freed pending node keeps its expression while a pending node uses it (its memory goes back at once); one
 *   freed with no user is encoded then (as an eager backend would have run it), unless it is cheap (a fill, or an
 *   alias whose value is already in memory).
 * - A matmul is computed once: a cluster holds at most one, and a node computed from it is inlined by at most one
 *   pending user (`lazy`), so the nodes computed from a pending matmul form one chain, and encoding any of them
 *   stores the matmul too, or drops it when nothing else needs it. A copy's destination is never read by the
 *   matmul of the kernel that stores into it.
 */

import { contiguousView, numelOf, type DType, type Operand } from '@descent/backend';
import type { FaultLog } from '../fault-log.js';
import { CLEAN, mergeTaints } from '../faults.js';
import type { ElementwiseExpr } from '../kernels/elementwise.js';
import type { MatmulGrid } from '../kernels/matmul-plan.js';
import { PARAMS_WINDOW } from '../kernel-layout.js';
import type { GpuBuffer } from '../memory.js';
import { MATMUL_WORDS, productKernel } from './epilogue.js';
import { fusedKernel, type Store } from './fused-kernel.js';
import { clusterIO, clusterOf, isIdentity, productOf, readOf, readsBuffer, sameView, type LazyInput, type LazyNode } from './lazy-node.js';

/** What fusion needs from the backend. */
export interface FusionHost {
  alloc(numel: number, dtype: DType): GpuBuffer;
  launch(label: string, key: string, source: () => string, operands: readonly GpuBuffer[], params: number[], workgroups: [number, number, number]): void;
  readonly faults: FaultLog;
  readonly maxBindings: number;
  /** The device's workgroups per dimension (a matmul with more tiles splits its dispatch), and the fewest a matmul is given. */
  readonly matmulGrid: MatmulGrid;
}

/** Shader size and parameter words stay small: larger clusters are cut (their inputs materialized). */
const MAX_NODES = 24;
const MAX_RANK = 6;
/** Pending nodes nobody consumes (a loop that builds a list) are encoded past this many. */
const MAX_PENDING = 256;

const IDENTITY = (t: string): ElementwiseExpr => ({ inputs: [t], names: ['x'], out: t, expr: 'x', checked: false });
/** A constant from its bits (a parameter, so one pipeline serves every value). */
const CONSTANT = (t: string): ElementwiseExpr => ({ inputs: ['u32'], names: ['k'], out: t, expr: t === 'u32' ? 'k' : `bitcast<${t}>(k)`, checked: false });
/** A product's expression, never compiled: the matmul kernel computes its value (./epilogue.ts). */
const PRODUCT = (t: string): ElementwiseExpr => ({ inputs: [t, t], names: ['a', 'b'], out: t, expr: 'acc', checked: false });

export class Fusion {
  enabled = true;
  /** Nodes made lazily, and kernels encoded for them: their ratio is the fusion at work. */
  fusedOps = 0;
  fusedKernels = 0;
  private readonly byBuffer = new Map<GpuBuffer, LazyNode>();
  private readonly pending = new Set<LazyNode>();
  /** Per block, how many inputs of pending nodes read it: a write or free of any other block skips the scan. */
  private readonly readers = new Map<GpuBuffer['block'], number>();

  constructor(private readonly host: FusionHost) {}

  /** Whether `op` on these dtypes and this shape may be made lazily. int64 runs checked arithmetic with fault slots: eager. */
  fusible(expr: ElementwiseExpr, shape: readonly number[], dtypes: readonly DType[]): boolean {
    return this.enabled && !expr.checked && shape.length <= MAX_RANK && !dtypes.includes('int64') && !dtypes.includes('float64');
  }

  /** Nothing pending and no reader counted (after a sync, once every alias was freed): the bookkeeping balanced. */
  get idle(): boolean {
    return this.pending.size === 0 && this.readers.size === 0;
  }

  isPending(buffer: GpuBuffer): boolean {
    return this.byBuffer.has(buffer);
  }

  /** A new pending buffer computing `expr` over `operands` (each read through its view over `shape`). */
  lazy(label: string, expr: ElementwiseExpr, operands: readonly Operand<GpuBuffer>[], shape: readonly number[], dtype: DType): GpuBuffer {
    let product: LazyNode | null = null;
    let inputs: LazyInput[] = operands.map((x) => {
      const n = this.byBuffer.get(x.buffer);
      if (n && isIdentity(x.view, shape) && (n.matmul ? numelOf(n.shape) === numelOf(shape) : sameShape(n.shape, shape))) {
        // One matmul per kernel, and what is computed from it is inlined once (a chain: see the invariants).
        const p = productOf(n);
        if (p === null || (n.users === 0 && (product === null || product === p))) {
          product ??= p;
          return { node: n };
        }
      }
      if (n) this.materialize(n);
      return { leaf: x };
    });
    // An input stored by a later input's kernel is read from memory (its readers are counted as a leaf's).
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if ('node' in input && input.node.state !== 'pending') inputs[i] = { leaf: operands[i] };
    }
    const node: LazyNode = { expr, inputs, shape, dtype, label, out: null, state: 'pending', users: 0, alias: false, cheap: false, product: null };
    if (!this.fits(node)) {
      inputs = operands.map((x, i) => {
        const input = inputs[i];
        if ('node' in input) this.materialize(input.node);
        return { leaf: x };
      });
      node.inputs = inputs;
    }
    for (const input of inputs) if (node.product === null && 'node' in input) node.product = productOf(input.node);
    return this.track(node, operands);
  }

  /**
   * A pending matmul of [batch, m, k] and [batch, k, n] views, [batch, m, n]; null where it runs eagerly (fusion
   * off, int64's checked sums, float64's refusal, an empty product). Its operands are read whole: pending ones are
   * encoded first.
   */
  matmul(a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer | null {
    const [batch, m, k] = a.view.shape;
    const shape = [batch, m, b.view.shape[2]];
    if (!this.enabled || k === 0 || numelOf(shape) === 0 || [a.dtype, b.dtype].some((t) => t === 'int64' || t === 'float64')) return null;
    this.settle(a.buffer);
    this.settle(b.buffer);
    const node: LazyNode = {
      expr: PRODUCT(a.dtype),
      inputs: [{ leaf: a }, { leaf: b }],
      shape,
      dtype: a.dtype,
      label: 'matmul',
      out: null,
      state: 'pending',
      users: 0,
      alias: false,
      cheap: false,
      matmul: true,
      product: null,
    };
    node.product = node;
    return this.track(node, [a, b]);
  }

  /** Makes `node` pending, in a new buffer: its inputs gain a user or a reader. */
  private track(node: LazyNode, operands: readonly Operand<GpuBuffer>[]): GpuBuffer {
    const out = this.host.alloc(numelOf(node.shape), node.dtype); // first: an allocation past the limits raises here
    for (const input of node.inputs) {
      if ('node' in input) input.node.users++;
      else if ('leaf' in input) this.count(input.leaf.buffer.block, 1);
    }
    node.out = out;
    out.taint = operands.every((x) => x.buffer.taint.length === 0) ? CLEAN : mergeTaints(...operands.map((x) => x.buffer.taint));
    this.byBuffer.set(out, node);
    this.pending.add(node);
    this.fusedOps++;
    if (this.pending.size > MAX_PENDING) this.flush();
    return out;
  }

  /**
   * A fill of all of `out`'s buffer with the 32-bit word `bits`, as a pending constant: the ops that read it inline
   * it (`zero_()` then `add_(g)` is one kernel). False where it cannot (a view, int64): the caller fills as usual.
   */
  fill(out: Operand<GpuBuffer>, bits: number, wgslType: string): boolean {
    const shape = out.view.shape;
    if (!this.enabled || out.dtype === 'int64' || shape.length > MAX_RANK || !isIdentity(out.view, shape) || numelOf(shape) !== out.buffer.numel) return false;
    this.overwrite(out.buffer);
    const node: LazyNode = {
      expr: CONSTANT(wgslType),
      inputs: [{ bits }],
      shape,
      dtype: out.dtype,
      label: 'fill',
      out: out.buffer,
      state: 'pending',
      users: 0,
      alias: false,
      cheap: true,
      product: null,
    };
    this.byBuffer.set(out.buffer, node);
    this.pending.add(node);
    this.fusedOps++;
    return true;
  }

  /** Before all of `buffer` is overwritten: its pending value is let go (users inline it), its readers encoded. */
  private overwrite(buffer: GpuBuffer, except?: ReadonlySet<LazyNode>): void {
    const n = this.byBuffer.get(buffer);
    if (n) {
      this.byBuffer.delete(buffer);
      n.out = null;
      if (n.users === 0) this.drop(n);
    }
    this.beforeWrite(buffer, except);
  }

  /** Bindings, views and nodes of `node`'s kernel in the worst case (every held node stored) within bounds. */
  private fits(node: LazyNode): boolean {
    const cluster = clusterOf(node);
    const { reads, stored } = clusterIO(cluster, node);
    const buffers = new Set(reads.map((r) => r.buffer.block));
    // Parameter words (./fused-kernel.ts): numel, shape, a view per read and store, a word per constant.
    const consts = cluster.reduce((c, n) => c + n.inputs.filter((input) => 'bits' in input).length, 0);
    const matmul = cluster.some((n) => n.matmul) ? MATMUL_WORDS : 0;
    const words = matmul + 1 + node.shape.length + (reads.length + stored.length + 1) * (1 + node.shape.length) + consts;
    return cluster.length <= MAX_NODES && buffers.size + stored.length + 1 <= this.host.maxBindings && words <= PARAMS_WINDOW / 4;
  }

  /** Encodes `buffer`'s kernel if it is pending (before another kernel binds it, or a read). */
  settle(buffer: GpuBuffer): void {
    const n = this.byBuffer.get(buffer);
    if (n) this.materialize(n);
  }

  /**
   * Encodes every pending node the tensor layer holds (a sync point). Aliases stay: their values are in memory.
   * Newest first: users come after their inputs, so an input is stored by its user's kernel, not a kernel of its own.
   */
  flush(): void {
    for (const n of [...this.pending].reverse()) if (n.state === 'pending' && n.out !== null && !n.alias) this.materialize(n);
  }

  /** Before `buffer` is written in place: its own pending value, and every pending reader of it, are encoded. */
  beforeWrite(buffer: GpuBuffer, except?: ReadonlySet<LazyNode>): void {
    this.settle(buffer);
    if (!this.readers.has(buffer.block)) return;
    for (const n of [...this.pending].reverse()) {
      if (n.state === 'pending' && n.out !== null && !except?.has(n) && readsBuffer(n, buffer)) this.materialize(n);
    }
  }

  /**
   * Before the tensor layer frees `buffer` (whose memory then goes back to the pool): a pending buffer with users
   * just lets go of its memory (the users compute its value); one without is encoded now, as an eager backend
   * would have, or dropped if it is cheap; pending readers of a plain buffer are encoded first.
   */
  beforeFree(buffer: GpuBuffer): void {
    const n = this.byBuffer.get(buffer);
    if (!n) {
      if (this.pending.size > 0) this.beforeWrite(buffer);
      return;
    }
    if (n.users > 0) {
      this.byBuffer.delete(buffer);
      n.out = null;
    } else if (n.cheap) {
      this.drop(n);
    } else {
      this.materialize(n);
    }
  }

  /**
   * `dst = src` where `src` is pending: its kernel stores straight into `dst`'s view, and `src` becomes an alias
   * of that view. False when it cannot (the caller copies as usual).
   */
  copyInto(src: Operand<GpuBuffer>, dst: Operand<GpuBuffer>): boolean {
    const node = this.byBuffer.get(src.buffer);
    if (!node || node.matmul || !isIdentity(src.view, node.shape) || !sameShape(dst.view.shape, node.shape)) return false;
    if (dst.view.shape.some((size, d) => size > 1 && dst.view.strides[d] === 0)) return false;
    const whole = isIdentity(dst.view, node.shape) && numelOf(node.shape) === dst.buffer.numel;
    const target = this.byBuffer.get(dst.buffer);
    if (target && (!whole || target === node)) return false;
    const except = new Set(clusterOf(node));
    if (target) this.overwrite(dst.buffer, except);
    else this.beforeWrite(dst.buffer, except);
    if (node.state !== 'pending') return false;
    // Each invocation reads dst's memory only at the element it writes (as `x.add_(y)`), or not at all; a matmul
    // reads its operands whole.
    const cluster = clusterOf(node);
    for (const n of cluster) {
      for (const input of n.inputs) {
        const r = readOf(input, n.shape);
        if (r && r.buffer.block === dst.buffer.block && (n.matmul || !sameView(r.view, dst.view))) {
          this.materialize(node);
          return false;
        }
      }
    }
    this.encode(node, cluster, { node, buffer: dst.buffer, view: dst.view }, true);
    this.forget(node);
    node.inputs = [{ leaf: dst }];
    this.count(dst.buffer.block, 1);
    node.expr = IDENTITY(node.expr.out);
    node.alias = true;
    node.cheap = true;
    return true;
  }

  /** Encodes `root`'s cluster, storing the root and every node the tensor layer still holds. */
  private materialize(root: LazyNode): void {
    if (root.state !== 'pending' || root.out === null) return;
    this.encode(root, clusterOf(root), { node: root, buffer: root.out, view: contiguousView(root.shape) }, false);
  }

  /** Encodes the kernel; what it stores leaves the pending set (the root too, unless it stays as an alias). */
  private encode(root: LazyNode, cluster: readonly LazyNode[], rootStore: Store, rootStays: boolean): void {
    const stored = cluster.filter((n) => n !== root && n.out !== null);
    // Every node of a cluster has its shape, or (a matmul) as many elements: each stores at the root's element.
    const stores: Store[] = [rootStore, ...stored.map((n) => ({ node: n, buffer: n.out as GpuBuffer, view: contiguousView(root.shape) }))];
    // The faults this kernel notes (its batch) go to what it stores; those noted before belong to the op running.
    const faults = this.host.faults;
    const before = faults.take();
    if (numelOf(root.shape) > 0) {
      const product = cluster.find((n) => n.matmul);
      const k = product ? productKernel(cluster, stores, product, this.host.matmulGrid) : fusedKernel(cluster, stores);
      for (const d of k.dispatches) this.host.launch(k.label, k.key, k.source, k.operands, d.params, d.workgroups);
      this.fusedKernels++;
    }
    const mine = faults.take();
    for (const f of before) faults.note(f);
    for (const s of stores) s.buffer.taint = mergeTaints(s.buffer.taint, mine);
    // A fused copy's source becomes an alias of what this batch wrote.
    if (root.out) root.out.taint = mergeTaints(root.out.taint, mine);
    const leaving = rootStays ? stored : [...stored, root];
    for (const n of leaving) {
      n.state = 'stored';
      this.byBuffer.delete(n.out as GpuBuffer);
      this.pending.delete(n);
    }
    // Their pending users read their memory from now on.
    for (const n of leaving) if (n.users > 0) this.count((n.out as GpuBuffer).block, n.users);
    for (const n of leaving) this.forget(n);
  }

  /** `n` no longer reads its inputs: their reader counts go down; a freed pending input with no user left is dropped. */
  private forget(n: LazyNode): void {
    for (const input of n.inputs) {
      if ('leaf' in input) this.count(input.leaf.buffer.block, -1);
      if (!('node' in input)) continue;
      const m = input.node;
      if (m.state === 'stored') this.count((m.out as GpuBuffer).block, -1);
      if (m.state !== 'pending') continue;
      m.users--;
      if (m.users === 0 && m.out === null) this.drop(m);
    }
  }

  private count(block: GpuBuffer['block'], delta: number): void {
    const c = (this.readers.get(block) ?? 0) + delta;
    if (c > 0) this.readers.set(block, c);
    else this.readers.delete(block);
  }

  private drop(n: LazyNode): void {
    n.state = 'dropped';
    if (n.out) this.byBuffer.delete(n.out);
    this.pending.delete(n);
    this.forget(n);
  }
}

/** Fusion is on unless the environment says DESCENT_WEBGPU_FUSION=0 (a reference run without it). */
export function fusionFromEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.DESCENT_WEBGPU_FUSION !== '0';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, d) => s === b[d]);
}
