import type { DType } from '@descent/backend';
import type { Tensor } from './tensor.js';
import type { GradHooks } from './hooks.js';
import { legacyTypeName } from './dtype.js';
import type { DiffOp, DiffOpParams, NoParams } from './op-params.js';

export type { DiffOp } from './op-params.js';

/** PyTorch's grad_fn names, so `tensor.gradFn.name()` and printing read exactly as in PyTorch. */
export const GRAD_FN_NAMES: Record<DiffOp, string> = {
  add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0', pow: 'PowBackward1',
  powScalar: 'PowBackward0', maximum: 'MaximumBackward0', minimum: 'MinimumBackward0',
  neg: 'NegBackward0', exp: 'ExpBackward0', log: 'LogBackward0', sqrt: 'SqrtBackward0', rsqrt: 'RsqrtBackward0',
  abs: 'AbsBackward0', sign: 'SignBackward0', sin: 'SinBackward0', cos: 'CosBackward0', tanh: 'TanhBackward0',
  sigmoid: 'SigmoidBackward0', relu: 'ReluBackward0', reciprocal: 'ReciprocalBackward0', erf: 'ErfBackward0',
  round: 'RoundBackward0', floor: 'FloorBackward0', ceil: 'CeilBackward0', clamp: 'ClampBackward1', leakyRelu: 'LeakyReluBackward0', gelu: 'GeluBackward0',
  silu: 'SiluBackward0', where: 'WhereBackward0', cast: 'ToCopyBackward0', toDevice: 'ToCopyBackward0',
  sum: 'SumBackward', mean: 'MeanBackward', prod: 'ProdBackward', amax: 'AmaxBackward0', amin: 'AminBackward0',
  maxDim: 'MaxBackward0', minDim: 'MinBackward0', var: 'VarBackward0', std: 'StdBackward0',
  softmax: 'SoftmaxBackward0', logSoftmax: 'LogSoftmaxBackward0', crossEntropy: 'NllLossBackward0',
  mm: 'MmBackward0', bmm: 'BmmBackward0', addmm: 'AddmmBackward0', mseLoss: 'MseLossBackward0',
  view: 'ViewBackward0', expand: 'ExpandBackward0', permute: 'PermuteBackward0', transpose: 'TransposeBackward0',
  t: 'TBackward0', unsqueeze: 'UnsqueezeBackward0', squeeze: 'SqueezeBackward', slice: 'SliceBackward0',
  select: 'SelectBackward0', unbind: 'UnbindBackward0', clone: 'CloneBackward0', cat: 'CatBackward0', stack: 'StackBackward0',
  gather: 'GatherBackward0', scatterAdd: 'ScatterAddBackward0', unfoldMatmul: 'ConvolutionBackward0',
  lstmCell: 'ThnnFusedLstmCellBackward0', gruCell: 'ThnnFusedGruCellBackward0',
  // An output's node prints its op's name instead (ops/output-parts.ts).
  outputPart: 'OutputPart',
  copySlices: 'CopySlices', asStrided: 'AsStridedBackward0', viewScatter: 'AsStridedScatterBackward0',
  copy: 'CopyBackwards', zero: 'ZeroBackward0', fillScalar: 'FillBackward2', uniform: 'UniformBackward0',
  normal: 'NormalBackward0', bernoulli: 'BernoulliBackward2',
  // A Function's nodes print their class's name instead (`CubeBackward`): see ops/custom-function.ts.
  customFunction: 'FunctionBackward', functionOutput: 'FunctionBackward',
};

/** PyTorch 1.13's reshape records `_reshape_alias` where it can view, else `_unsafe_view` of a contiguous copy. */
const VIEW_NAMES = { reshapeAlias: 'ReshapeAliasBackward0', unsafeView: 'UnsafeViewBackward0' } as const;

/** The parameters a node of each kind keeps for its rule: its op's, or none for a leaf's AccumulateGrad. */
export type NodeParams = DiffOpParams & { AccumulateGrad: NoParams };
export type NodeOp = keyof NodeParams;

/** Ops whose PyTorch name ends in 0 or 1 by whether a dim was given (`SumBackward0` vs `SumBackward1`). */
function numberedByDim(params: object): params is { readonly dimGiven: boolean } {
  return 'dimGiven' in params;
}

export interface InputMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A node of the backward graph: one op application, the edges to its inputs' nodes and what its rule needs. */
export class GradNode<K extends NodeOp = NodeOp> {
  /** The tensor whose gradient `retainGrad()` asked to keep. */
  retained: Tensor | null = null;
  /** The PyTorch op a composite's last node stands for (`NativeLayerNormBackward0`): see ops/present-as.ts. */
  displayName: string | null = null;
  /** @internal The hooks on the gradient arriving here (`registerHook`, module backward hooks): see hooks.ts. */
  _hooks: GradHooks | null = null;
  /** @internal Scratch space of the backward engine: pending gradient, unfinished consumers, and a pass stamp. */
  _grad: Tensor | null = null;
  /** @internal Scratch of the engine for a node with several outputs: the gradient of each so far (see MultiOutputOp). */
  _parts: (Tensor | null)[] | null = null;
  /** @internal */
  _pending = 0;
  /** @internal */
  _pass = 0;
  private saved: readonly Tensor[] | null;
  private readonly versions: number[];

  constructor(
    readonly op: K,
    /** One edge per input: the input's node, or null where the input does not require grad. */
    readonly next: readonly (GradNode | null)[],
    readonly inputs: readonly InputMeta[],
    readonly params: NodeParams[K],
    saved: readonly Tensor[],
    /** For an AccumulateGrad node: the leaf its gradient lands in. */
    readonly variable: Tensor | null = null,
  ) {
    this.saved = saved;
    this.versions = new Array<number>(saved.length);
    for (let i = 0; i < saved.length; i++) this.versions[i] = saved[i]._storage.version;
  }

  /** Whether input `i` needs a gradient (PyTorch's `needs_input_grad`), so rules skip work nobody reads. */
  needs(i: number): boolean {
    return this.next[i] !== null;
  }

  /**
   * PyTorch's `grad_fn.next_functions`: one `[node, outputIndex]` pair per input of this node, `[null, 0]` where that
   * input needs no gradient; a leaf's node is its `AccumulateGrad`. Every node has one output, so the index is 0,
   * but for an output of a Function with several: its Function's node and the output's position.
   */
  get nextFunctions(): [GradNode | null, number][] {
    return this.next.map((node) => (node === null ? [null, 0] : node._asEdge()));
  }

  /** @internal How an edge to this node reads in `nextFunctions`: the node itself, output 0. */
  _asEdge(): [GradNode, number] {
    return [this, 0];
  }

  name(): string {
    if (this.displayName !== null) return this.displayName;
    const op: NodeOp = this.op;
    if (op === 'AccumulateGrad') return 'AccumulateGrad';
    if (op === 'view' && 'as' in this.params && this.params.as !== undefined) return VIEW_NAMES[this.params.as];
    const base = GRAD_FN_NAMES[op];
    return numberedByDim(this.params) ? base + (this.params.dimGiven ? 1 : 0) : base;
  }

  /** As Python prints a grad_fn (`<MeanBackward0 object at 0x...>`), without the address. */
  toString(): string {
    return `<${this.name()} object>`;
  }

  /** `console.log(loss.gradFn)`: the node's name, never the engine's internal fields. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  /** Input `i` as saved at forward time. Throws if a backward pass freed it or an in-place op changed it since. */
  input(i: number): Tensor {
    return this.unpack(i);
  }

  /** The op's output as saved at forward time; an op that saved several (the fused cells' workspaces), the `i`-th. */
  output(i = 0): Tensor {
    return this.unpack(this.inputs.length + i);
  }

  private unpack(i: number): Tensor {
    if (this.saved === null) {
      throw new Error(
        'Trying to backward through the graph a second time (or directly access saved tensors after they have ' +
          'already been freed). Saved intermediate values of the graph are freed when you call .backward() or ' +
          'autograd.grad(). Specify retainGraph: true if you need to backward through the graph a second time or ' +
          'if you need to access saved tensors after calling backward.',
      );
    }
    const tensor = this.saved[i];
    const version = this.versions[i];
    if (tensor._storage.version !== version) {
      throw new Error(
        'one of the variables needed for gradient computation has been modified by an inplace operation: ' +
          `[${legacyTypeName(tensor.dtype)} [${tensor.shape.join(', ')}]], which is output 0 of ${this.name()}, ` +
          `is at version ${tensor._storage.version}; expected version ${version} instead.`,
      );
    }
    return tensor;
  }

  /**
   * @internal Before an in-place op overwrites `storage`, swaps each saved input living there for `snapshot(input)`,
   * a copy of its current values, so the rule still reads what the op saw (PyTorch saves the original self).
   */
  _preserveSaved(storage: unknown, snapshot: (t: Tensor) => Tensor): void {
    const saved = this.saved;
    if (saved === null) return;
    const kept = saved.slice();
    for (let i = 0; i < this.inputs.length; i++) {
      if (kept[i]._storage !== storage) continue;
      kept[i] = snapshot(kept[i]);
      this.versions[i] = kept[i]._storage.version;
    }
    this.saved = kept;
  }

  releaseSaved(): void {
    this.saved = null;
  }
}

/** What `tensor.backward()` runs. Installed by `@descent/autograd`, which owns the gradient rules. */
export interface BackwardEngine {
  backward(root: Tensor, gradient: Tensor | null, retainGraph: boolean): void;
}

let engine: BackwardEngine | null = null;

export function installBackwardEngine(e: BackwardEngine): void {
  engine = e;
}

export function backwardEngine(): BackwardEngine {
  if (!engine) {
    throw new Error(
      "backward() needs the autograd engine: import '@descent/autograd' once (the '@descent/torch' package does this for you).",
    );
  }
  return engine;
}
