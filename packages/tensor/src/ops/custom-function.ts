import type { DType } from '@descent/backend';
import { cpu, type Device } from '../device.js';
import { isFloating } from '../dtype.js';
import { run } from '../gate.js';
import { gradMode, noGrad } from '../grad-mode.js';
import { GradNode, type InputMeta, type NodeParams } from '../graph.js';
import * as k from '../kernels.js';
import type { DiffOpParams, ViewReplay } from '../op-params.js';
import { numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkViewWritable, recordWriteThroughView } from './view-history.js';
import { reshape, slice, view } from './views.js';

/**
 * The graph side of `torch.autograd.Function` (the class and its ctx live in `@descent/autograd`): forward runs
 * through the gate with grad mode off, then its outputs get their history as PyTorch's `_wrap_outputs` gives it.
 *
 * The backward engine hands every node one gradient. A Function with one differentiable output is one node,
 * `customFunction`, on that output. With several, the node's gradient is one vector: the differentiable outputs'
 * gradients flattened and concatenated. Each such output gets a small `functionOutput` node whose rule places its
 * gradient in that vector (zeros elsewhere, so an output that gets no gradient contributes zeros), and the
 * Function's node cuts the sum back into one gradient per output before it calls the user's backward.
 */

/** What `@descent/autograd`'s `Function.apply` hands the graph: the user's forward and backward, and its ctx's marks. */
export interface CustomFunction {
  /** PyTorch's grad_fn name: the class's name and `Backward` (`CubeBackward`). */
  readonly name: string;
  /** Runs the user's forward on `args` (the gate turns grad mode off first). */
  forward(args: readonly unknown[]): unknown;
  /** After forward: the tensors it marked dirty (modified in place) and non-differentiable. */
  dirty(): ReadonlySet<Tensor>;
  nonDifferentiable(): ReadonlySet<Tensor>;
  /**
   * The user's backward: one gradient per output (zeros for an output that received none, null for an output that
   * is not a tensor) in, one gradient (or null) per tensor argument of forward out, checked.
   */
  backward(gradOutputs: (Tensor | null)[]): (Tensor | null)[];
  /** Called once the outputs carry their history, with the outputs as `apply` returns them. */
  recorded(outputs: readonly unknown[]): void;
  /** Called when a backward pass frees the node's saved values (no `retainGraph`). */
  release(): void;
}

type FunctionOp = 'customFunction' | 'functionOutput';

/** A Function's nodes: named after its class, and freeing its ctx's saved tensors when the engine frees theirs. */
class FunctionNode<K extends FunctionOp> extends GradNode<K> {
  constructor(
    op: K,
    next: readonly (GradNode | null)[],
    inputs: readonly InputMeta[],
    params: NodeParams[K],
    private readonly fn: CustomFunction | null,
    /** For a `functionOutput` node: the output's position among the Function's outputs. */
    private readonly outputIndex = 0,
  ) {
    super(op, next, inputs, params, []);
  }

  override name(): string {
    // A composite built on a Function may present its node under the ATen op's name (presentAs).
    return this.displayName ?? this.params.name;
  }

  // PyTorch has no node per output: an output's edge is the Function's node with the output's position.
  override _asEdge(): [GradNode, number] {
    const fnNode = this.op === 'functionOutput' ? this.next[0] : null;
    return fnNode ? [fnNode, this.outputIndex] : [this, 0];
  }

  override releaseSaved(): void {
    super.releaseSaved();
    this.fn?.release();
  }
}

/** A tensor output of forward: its metadata, and where its gradient lies in the packed vector (-1: none). */
interface OutputInfo {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  offset: number;
}

/** The outputs of forward as the node's rule needs them. */
interface Layout {
  readonly infos: (OutputInfo | null)[];
  /** Whether the node's gradient packs several outputs' gradients. */
  packed: boolean;
}

/** The whole tensor as a view (a new tensor, never `t` itself: autograd attaches history to what a replay makes). */
const IDENTITY: ViewReplay = (t) => reshape(t, t.shape);

/** The node's params, in a scope of their own: the rule must not keep forward's arguments or outputs alive. */
function functionParams(fn: CustomFunction, layout: Layout): DiffOpParams['customFunction'] {
  return { name: fn.name, backward: (grad) => fn.backward(gradOutputs(grad, layout.infos, layout.packed)) };
}

/** `x` as a new tensor over the same memory, marked as a view of it (PyTorch's `view_as(self)` of an input). */
function aliasOf(x: Tensor): Tensor {
  const alias = x.detach();
  const base = x._base;
  const replay = x._replay;
  if (base !== null && replay !== null) alias._markView(base, replay);
  else alias._markView(x, IDENTITY);
  return alias;
}

/** Applies a Function to `args`: forward through the gate, then history on its outputs. Returns what forward did. */
export function applyCustomFunction(fn: CustomFunction, args: readonly unknown[]): unknown {
  const tensors: Tensor[] = [];
  for (const arg of args) if (arg instanceof Tensor) tensors.push(arg);
  const executable = gradMode.enabled && tensors.some((t) => t.requiresGrad);
  // Like PyTorch, the edges to the inputs' histories are taken before forward, which may modify an input in place.
  const next = executable ? tensors.map((t) => (t.requiresGrad ? t._gradEdge() : null)) : [];
  const layout: Layout = { infos: [], packed: false };
  const params = functionParams(fn, layout);
  let raw: unknown;
  const device = tensors.length > 0 ? tensors[0].device : cpu;
  run('customFunction', tensors, params, () => {
    raw = noGrad(() => fn.forward(args));
  }, device);
  const list = Array.isArray(raw);
  const outputs: unknown[] = Array.isArray(raw) ? raw.slice() : [raw];
  const dirty = fn.dirty();
  for (const t of dirty) {
    if (!outputs.includes(t)) {
      throw new Error(
        'Some elements marked as dirty during the forward method were not returned as output. The inputs that are ' +
          'modified inplace must all be outputs of the Function.',
      );
    }
  }
  if (!executable) {
    // No history to record: an input returned as is comes back as an alias, as in PyTorch.
    outputs.forEach((o, i) => {
      if (o instanceof Tensor && tensors.includes(o) && !dirty.has(o)) outputs[i] = aliasOf(o);
    });
    return list ? outputs : outputs[0];
  }
  const nonDifferentiable = fn.nonDifferentiable();
  const total = lay(outputs, nonDifferentiable, layout);
  for (const t of dirty) if (!nonDifferentiable.has(t) && isFloating(t.dtype)) checkDirty(t, outputs.length);
  const meta = tensors.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  const node = new FunctionNode('customFunction', next, meta, params, fn);
  const seen = new Set<Tensor>();
  outputs.forEach((o, i) => {
    const info = layout.infos[i];
    if (!(o instanceof Tensor) || info === null) return;
    const input = tensors.includes(o);
    if (info.offset < 0) {
      // Not differentiable: returned without history (an input, or a tensor requiring grad, as a detached alias).
      if (o.requiresGrad || (input && !dirty.has(o))) outputs[i] = o.detach();
      return;
    }
    const target = layout.packed ? outputNode(node, fn.name, total, info, i) : node;
    if (dirty.has(o) && !seen.has(o)) rebaseHistory(o, target);
    else if (input || seen.has(o)) {
      // An input returned as is (or a tensor returned twice): an alias carries the history.
      const alias = aliasOf(o);
      alias._setHistory(target);
      outputs[i] = alias;
    } else o._setHistory(target);
    seen.add(o);
  });
  fn.recorded(outputs);
  return list ? outputs : outputs[0];
}

/** Fills `layout` from forward's outputs: where each differentiable one lies in the packed gradient. Returns its size. */
function lay(outputs: readonly unknown[], nonDifferentiable: ReadonlySet<Tensor>, layout: Layout): number {
  let total = 0;
  let differentiable = 0;
  for (const o of outputs) {
    if (!(o instanceof Tensor)) {
      layout.infos.push(null);
      continue;
    }
    const info: OutputInfo = { shape: o.shape, dtype: o.dtype, device: o.device, offset: -1 };
    if (!nonDifferentiable.has(o) && isFloating(o.dtype)) {
      info.offset = total;
      total += o.numel();
      differentiable++;
    }
    layout.infos.push(info);
  }
  layout.packed = differentiable > 1;
  return total;
}

/** The node of output `info` of a Function with several: its gradient goes to its place in the packed vector. */
function outputNode(fnNode: GradNode, name: string, total: number, info: OutputInfo, index: number): GradNode {
  const { offset, shape } = info;
  const end = offset + numel(shape);
  const replay: ViewReplay = (packed) => view(slice(packed, 0, offset, end), shape);
  const meta = [{ shape: [total], dtype: info.dtype }];
  return new FunctionNode('functionOutput', [fnNode], meta, { name, baseShape: [total], replay }, null, index);
}

/** The gradient of each output, for the user's backward: cut from the packed vector, zeros where not differentiable. */
function gradOutputs(grad: Tensor, infos: readonly (OutputInfo | null)[], packed: boolean): (Tensor | null)[] {
  return infos.map((info) => {
    if (info === null) return null;
    // PyTorch's materialize_grads: an output without a gradient gets zeros.
    if (info.offset < 0) return k.full(info.device, info.shape, 0, info.dtype);
    if (!packed) return grad;
    return reshape(slice(grad, 0, info.offset, info.offset + numel(info.shape)), info.shape);
  });
}

/** PyTorch's checks on an input that forward modified in place and returned (`ctx.markDirty`). */
function checkDirty(t: Tensor, outputs: number): void {
  if (t._base === null) {
    if (t.isLeaf && t.requiresGrad) throw new Error('a leaf Variable that requires grad has been used in an in-place operation.');
    return;
  }
  if (outputs > 1) {
    throw new Error(
      'If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return ' +
        'more than one Tensor. This is not supported by the current autograd engine. You should either make sure the ' +
        'input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially ' +
        'splitting it into two Functions: one doing the inplace that returns a single Tensor and a second one that ' +
        'does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do ' +
        'this change.',
    );
  }
  checkViewWritable(t);
}

/**
 * A dirty input's history becomes the Function's node. For a view, the write lands in its base: the base's history
 * becomes `CopySlices` over its old history and the Function's result, and the view regenerates its own from it.
 */
function rebaseHistory(t: Tensor, target: GradNode): void {
  if (t._base === null) {
    t._setHistory(target);
    return;
  }
  const value = t.detach();
  value._setHistory(target);
  recordWriteThroughView(t, value);
}
