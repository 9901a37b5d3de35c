import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import { checkKeyPaddingMaskDtype } from '../functional/attention-masks.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { MultiheadAttention } from './multihead-attention.js';
import { activationKind, resolveActivation, TRANSFORMER_LAYER_POSITIONAL, type TransformerLayerOptions, type TransformerLayerSizes } from './transformer-layer-options.js';

/** The arguments of `TransformerEncoderLayer.forward` after `src`, by keyword. */
export interface TransformerEncoderLayerForwardOptions {
  /** `[S, S]` or `[N * nhead, S, S]`, as MultiheadAttention's `attnMask`. */
  srcMask?: Tensor | null;
  /** `[N, S]` (`[S]` unbatched), as MultiheadAttention's `keyPaddingMask`. */
  srcKeyPaddingMask?: Tensor | null;
  /** PyTorch 2.0's hint that `srcMask` is the causal mask. Default false. */
  isCausal?: boolean;
}

const CONSTRUCTOR_ARGS = { fn: 'TransformerEncoderLayer.__init__', required: ['dModel', 'nhead'], positional: TRANSFORMER_LAYER_POSITIONAL } as const;
const FORWARD_ARGS = { fn: 'TransformerEncoderLayer.forward', required: 1, positional: ['srcMask', 'srcKeyPaddingMask', 'isCausal'] } as const;

/**
 * Self-attention then a feedforward block, each with dropout, a residual connection and a LayerNorm, as PyTorch
 * 1.13's `nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=F.relu,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False)`. Submodules have PyTorch's names (`self_attn`,
 * `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`), so `stateDict()` keys match.
 * `forward` runs PyTorch's general path (its fused inference path computes the same values).
 */
export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  /** PyTorch's flag for its fused path: 1 for relu, 2 for gelu, 0 otherwise. */
  readonly activationReluOrGelu: 0 | 1 | 2;
  activation: ((input: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions);
  constructor(dModel: number, nhead: number, ...args: unknown[]);
  /** The sizes by keyword too: `new nn.TransformerEncoderLayer({ dModel: 512, nhead: 8 })`. */
  constructor(dModel: number, options: TransformerLayerOptions & Pick<TransformerLayerSizes, 'nhead'>);
  constructor(options: TransformerLayerOptions & TransformerLayerSizes);
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<TransformerLayerOptions & TransformerLayerSizes>(CONSTRUCTOR_ARGS, args);
    const { dModel, nhead } = o;
    const dropout = o.dropout ?? 0.1;
    const create = { device: o.device, dtype: o.dtype };
    const eps = o.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst: o.batchFirst ?? false, ...create });
    this.linear1 = new Linear(dModel, o.dimFeedforward ?? 2048, { device: o.device });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(o.dimFeedforward ?? 2048, dModel, { device: o.device });
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, device: o.device });
    this.norm2 = new LayerNorm(dModel, { eps, device: o.device });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.activation = resolveActivation(o.activation ?? 'relu');
    this.activationReluOrGelu = activationKind(this.activation);
  }

  /** `src` `[S, N, E]` (`[N, S, E]` when batch first, `[S, E]` unbatched) to the same shape. */
  override forward(src: Tensor, options?: TransformerEncoderLayerForwardOptions): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor {
    const o = bindArgs<TransformerEncoderLayerForwardOptions>(FORWARD_ARGS, args);
    const mask = o.srcMask ?? null;
    const padding = o.srcKeyPaddingMask ?? null;
    checkKeyPaddingMaskDtype(padding);
    const isCausal = o.isCausal ?? false;
    let x = src;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1(x), mask, padding, isCausal));
      return x.add(this.feedForwardBlock(this.norm2(x)));
    }
    x = this.norm1(x.add(this.selfAttentionBlock(x, mask, padding, isCausal)));
    return this.norm2(x.add(this.feedForwardBlock(x)));
  }

  private selfAttentionBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.self_attn(x, x, x, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout1(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    const activation = this.activation as (input: Tensor) => Tensor;
    return this.dropout2(this.linear2(this.dropout(activation(this.linear1(x)))));
  }
}
