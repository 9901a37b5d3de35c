import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { MultiheadAttention } from './multihead-attention.js';
import { resolveActivation, TRANSFORMER_LAYER_POSITIONAL, type TransformerLayerOptions, type TransformerLayerSizes } from './transformer-layer-options.js';

/** The arguments of `TransformerDecoderLayer.forward` after `memory`, by keyword (masks as MultiheadAttention's). */
export interface TransformerDecoderLayerForwardOptions {
  /** `[T, T]` or `[N * nhead, T, T]`: the self-attention's mask (usually the causal one). */
  tgtMask?: Tensor | null;
  /** `[T, S]` or `[N * nhead, T, S]`: the mask of the attention to the memory. */
  memoryMask?: Tensor | null;
  /** `[N, T]`: padding in the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[N, S]`: padding in the memory. */
  memoryKeyPaddingMask?: Tensor | null;
  /** PyTorch 2.0's hint that `tgtMask` is the causal mask. Default false. */
  tgtIsCausal?: boolean;
  /** PyTorch 2.0's hint that `memoryMask` is the causal mask. Default false. */
  memoryIsCausal?: boolean;
}

export const DECODER_FORWARD_POSITIONAL = [
  'tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask', 'tgtIsCausal', 'memoryIsCausal',
] as const;

const CONSTRUCTOR_ARGS = { fn: 'TransformerDecoderLayer.__init__', required: ['dModel', 'nhead'], positional: TRANSFORMER_LAYER_POSITIONAL } as const;
const FORWARD_ARGS = { fn: 'TransformerDecoderLayer.forward', required: 2, positional: DECODER_FORWARD_POSITIONAL } as const;

/**
 * Self-attention, attention to the encoder's output (`memory`) and a feedforward block, each with dropout, a
 * residual connection and a LayerNorm, as PyTorch 1.13's `nn.TransformerDecoderLayer(d_model, nhead,
 * dim_feedforward=2048, dropout=0.1, activation=F.relu, layer_norm_eps=1e-5, batch_first=False, norm_first=False)`,
 * with PyTorch's submodule names (`self_attn`, `multihead_attn`, `linear1`, ..., `norm3`, `dropout3`).
 */
export class TransformerDecoderLayer extends Module {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: ((input: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions);
  constructor(dModel: number, nhead: number, ...args: unknown[]);
  /** The sizes by keyword too: `new nn.TransformerDecoderLayer({ dModel: 512, nhead: 8 })`. */
  constructor(dModel: number, options: TransformerLayerOptions & Pick<TransformerLayerSizes, 'nhead'>);
  constructor(options: TransformerLayerOptions & TransformerLayerSizes);
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<TransformerLayerOptions & TransformerLayerSizes>(CONSTRUCTOR_ARGS, args);
    const { dModel, nhead } = o;
    const dropout = o.dropout ?? 0.1;
    const dimFeedforward = o.dimFeedforward ?? 2048;
    const eps = o.layerNormEps ?? 1e-5;
    const attention = { dropout, batchFirst: o.batchFirst ?? false, device: o.device, dtype: o.dtype };
    this.self_attn = new MultiheadAttention(dModel, nhead, attention);
    this.multihead_attn = new MultiheadAttention(dModel, nhead, attention);
    this.linear1 = new Linear(dModel, dimFeedforward, { device: o.device });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { device: o.device });
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps, device: o.device });
    this.norm2 = new LayerNorm(dModel, { eps, device: o.device });
    this.norm3 = new LayerNorm(dModel, { eps, device: o.device });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = resolveActivation(o.activation ?? 'relu');
  }

  /** `tgt` `[T, N, E]` and `memory` `[S, N, E]` (batch first when `batchFirst`, or unbatched) to `tgt`'s shape. */
  override forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderLayerForwardOptions): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor {
    const o = bindArgs<TransformerDecoderLayerForwardOptions>(FORWARD_ARGS, args);
    const self = [o.tgtMask ?? null, o.tgtKeyPaddingMask ?? null, o.tgtIsCausal ?? false] as const;
    const cross = [o.memoryMask ?? null, o.memoryKeyPaddingMask ?? null, o.memoryIsCausal ?? false] as const;
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1(x), ...self));
      x = x.add(this.crossAttentionBlock(this.norm2(x), memory, ...cross));
      return x.add(this.feedForwardBlock(this.norm3(x)));
    }
    x = this.norm1(x.add(this.selfAttentionBlock(x, ...self)));
    x = this.norm2(x.add(this.crossAttentionBlock(x, memory, ...cross)));
    return this.norm3(x.add(this.feedForwardBlock(x)));
  }

  private selfAttentionBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.self_attn(x, x, x, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout1(out);
  }

  private crossAttentionBlock(x: Tensor, memory: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null, isCausal: boolean): Tensor {
    const [out] = this.multihead_attn(x, memory, memory, { attnMask, keyPaddingMask, needWeights: false, isCausal });
    return this.dropout2(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    const activation = this.activation as (input: Tensor) => Tensor;
    return this.dropout3(this.linear2(this.dropout(activation(this.linear1(x)))));
  }
}
