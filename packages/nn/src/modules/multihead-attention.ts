import { empty, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { constant_, xavierNormal_, xavierUniform_ } from '../init.js';
import { bindArgs } from '../call-args.js';
import { multiHeadAttentionForward } from '../functional/multi-head-attention.js';
import { checkKeyPaddingMaskDtype } from '../functional/attention-masks.js';
import { NonDynamicallyQuantizableLinear } from './non-dynamically-quantizable-linear.js';

/** The arguments of `nn.MultiheadAttention` after `num_heads`, by keyword. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights in training mode. Default 0. */
  dropout?: number;
  /** Learn the input and output projection biases. Default true. */
  bias?: boolean;
  /** Learn one extra key and value (`bias_k`, `bias_v`) appended to every sequence. Default false. */
  addBiasKv?: boolean;
  /** Append a zero key and value to every sequence after the projection. Default false. */
  addZeroAttn?: boolean;
  /** The key features. Default `embedDim`. */
  kdim?: number | null;
  /** The value features. Default `embedDim`. */
  vdim?: number | null;
  /** Inputs and output are `[batch, seq, feature]` instead of `[seq, batch, feature]`. Default false. */
  batchFirst?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

/** The arguments of `MultiheadAttention.forward` after `value`, by keyword. */
export interface MultiheadAttentionForwardOptions {
  /** `[N, S]` (`[S]` unbatched): true (or -inf, as a float mask) where a key is padding that no query attends to. */
  keyPaddingMask?: Tensor | null;
  /** Also return the attention weights. Default true. */
  needWeights?: boolean;
  /** `[L, S]` or `[N * numHeads, L, S]`: true where attending is not allowed; a float mask is added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (`[N, L, S]`) instead of `[N, numHeads, L, S]`. Default true. */
  averageAttnWeights?: boolean;
  /** PyTorch 2.0's hint that `attnMask` is the causal mask (it must be given, and is what is applied). Default false. */
  isCausal?: boolean;
}

const CONSTRUCTOR_ARGS = {
  fn: 'MultiheadAttention.__init__',
  required: ['embedDim', 'numHeads'],
  positional: ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', 'device', 'dtype'],
} as const;
const FORWARD_ARGS = {
  fn: 'MultiheadAttention.forward',
  required: 3,
  positional: ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights', 'isCausal'],
} as const;

/**
 * Attention from queries to keys and values over `numHeads` heads, as PyTorch 1.13's `nn.MultiheadAttention(embed_dim,
 * num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None,
 * batch_first=False)`. Its parameters have PyTorch's names, so `stateDict()` keys match: `in_proj_weight` `[3E, E]`
 * (or `q_proj_weight`, `k_proj_weight`, `v_proj_weight` when `kdim` or `vdim` differ from `embedDim`),
 * `in_proj_bias`, `bias_k`, `bias_v`, `out_proj.weight`, `out_proj.bias`; initialized as PyTorch's
 * `_reset_parameters` from the same draws. `forward` always runs PyTorch's general path (the fused inference path
 * computes the same values).
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly _qkvSameEmbedDim: boolean;
  readonly numHeads: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  // PyTorch's parameter names and order: state_dict keys come from them.
  in_proj_weight: Parameter | null = null;
  q_proj_weight: Parameter | null = null;
  k_proj_weight: Parameter | null = null;
  v_proj_weight: Parameter | null = null;
  in_proj_bias: Parameter | null = null;
  out_proj: NonDynamicallyQuantizableLinear;
  bias_k: Parameter | null = null;
  bias_v: Parameter | null = null;
  readonly addZeroAttn: boolean;

  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions);
  constructor(embedDim: number, numHeads: number, ...args: unknown[]);
  /** The sizes by keyword too: `new nn.MultiheadAttention({ embedDim: 4, numHeads: 2 })`. */
  constructor(embedDim: number, options: MultiheadAttentionOptions & { numHeads: number });
  constructor(options: MultiheadAttentionOptions & { embedDim: number; numHeads: number });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<MultiheadAttentionOptions & { embedDim: number; numHeads: number }>(CONSTRUCTOR_ARGS, args);
    const { embedDim, numHeads } = o;
    this.embedDim = embedDim;
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this._qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.numHeads = numHeads;
    this.dropout = o.dropout ?? 0;
    this.batchFirst = o.batchFirst ?? false;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new RangeError('embed_dim must be divisible by num_heads');
    const create = (shape: number[]) => new Parameter(empty(shape, { device: o.device, dtype: o.dtype }));
    if (this._qkvSameEmbedDim) {
      this.in_proj_weight = create([3 * embedDim, embedDim]);
    } else {
      this.q_proj_weight = create([embedDim, embedDim]);
      this.k_proj_weight = create([embedDim, this.kdim]);
      this.v_proj_weight = create([embedDim, this.vdim]);
    }
    if (o.bias !== false) this.in_proj_bias = create([3 * embedDim]);
    // Built (and so initialized as an nn.Linear) before _reset_parameters draws, as in PyTorch.
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias: o.bias !== false, device: o.device });
    if (o.addBiasKv) {
      this.bias_k = create([1, 1, embedDim]);
      this.bias_v = create([1, 1, embedDim]);
    }
    this.addZeroAttn = o.addZeroAttn ?? false;
    this._resetParameters();
  }

  /** PyTorch's `_reset_parameters`: xavier_uniform_ on the input projections, zero biases, xavier_normal_ on bias_k/v. */
  _resetParameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) if (w) xavierUniform_(w);
    if (this.in_proj_bias) {
      constant_(this.in_proj_bias, 0);
      if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
    }
    if (this.bias_k) xavierNormal_(this.bias_k);
    if (this.bias_v) xavierNormal_(this.bias_v);
  }

  /**
   * `query` `[L, N, E]`, `key` `[S, N, kdim]`, `value` `[S, N, vdim]` (batch first when `batchFirst`; unbatched
   * `[L, E]` too). Returns `[output, weights]`: output as the query, weights `[N, L, S]` (averaged over the
   * heads) or `[N, numHeads, L, S]`, or null when `needWeights` is false.
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null];
  override forward(query: Tensor, key: Tensor, value: Tensor, ...args: unknown[]): [Tensor, Tensor | null];
  override forward(query: Tensor, key: Tensor, value: Tensor, ...args: unknown[]): [Tensor, Tensor | null] {
    const o = bindArgs<MultiheadAttentionForwardOptions>(FORWARD_ARGS, args);
    checkKeyPaddingMaskDtype(o.keyPaddingMask ?? null);
    const batched = query.ndim === 3;
    if (this.batchFirst && batched) {
      // Transposed once per distinct tensor, so that self-attention still sees query === key === value.
      const swap = (t: Tensor) => t.transpose(1, 0);
      if (query === key && key === value) query = key = value = swap(query);
      else if (key === value) {
        query = swap(query);
        key = value = swap(key);
      } else [query, key, value] = [swap(query), swap(key), swap(value)];
    }
    const separate = !this._qkvSameEmbedDim;
    const [output, weights] = multiHeadAttentionForward(
      query, key, value, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias,
      {
        training: this.training,
        keyPaddingMask: o.keyPaddingMask ?? null,
        needWeights: o.needWeights ?? true,
        attnMask: o.attnMask ?? null,
        useSeparateProjWeight: separate,
        qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight,
        vProjWeight: this.v_proj_weight,
        averageAttnWeights: o.averageAttnWeights ?? true,
        isCausal: o.isCausal ?? false,
      },
    );
    return [this.batchFirst && batched ? output.transpose(1, 0) : output, weights];
  }
}
