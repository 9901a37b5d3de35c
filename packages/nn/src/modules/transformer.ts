import { full, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import { xavierUniform_ } from '../init.js';
import { LayerNorm } from './layer-norm.js';
import { TransformerEncoderLayer } from './transformer-encoder-layer.js';
import { TransformerDecoderLayer } from './transformer-decoder-layer.js';
import { TransformerDecoder, TransformerEncoder } from './transformer-stacks.js';
import type { TransformerLayerOptions } from './transformer-layer-options.js';

/** The arguments of `nn.Transformer`, by keyword (all have defaults, so all may also be given by position). */
export interface TransformerOptions extends TransformerLayerOptions {
  /** The model's features. Default 512. */
  dModel?: number;
  /** Attention heads. Default 8. */
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  /** Used instead of the stack of encoder layers (and its norm) when given. */
  customEncoder?: Module | null;
  customDecoder?: Module | null;
}

/** The arguments of `Transformer.forward` after `tgt`, by keyword (masks as MultiheadAttention's). */
export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

const CONSTRUCTOR_ARGS = {
  fn: 'Transformer',
  required: 0,
  positional: [
    'dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout', 'activation', 'customEncoder',
    'customDecoder', 'layerNormEps', 'batchFirst', 'normFirst', 'device', 'dtype',
  ],
} as const;
const FORWARD_ARGS = {
  fn: 'Transformer.forward',
  required: 2,
  positional: ['srcMask', 'tgtMask', 'memoryMask', 'srcKeyPaddingMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'],
} as const;

type Callable = Module & ((...args: unknown[]) => Tensor);

/**
 * The encoder-decoder model of "Attention Is All You Need", as PyTorch 1.13's `nn.Transformer(d_model=512,
 * nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation=F.relu,
 * custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False)`: `encoder`
 * and `decoder` stacks with a final LayerNorm each; every weight with two or more dims is then re-drawn with
 * xavier_uniform_, as PyTorch's `_reset_parameters`.
 */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(options?: TransformerOptions);
  constructor(...args: unknown[]);
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<TransformerOptions>(CONSTRUCTOR_ARGS, args);
    const dModel = o.dModel ?? 512;
    const nhead = o.nhead ?? 8;
    const eps = o.layerNormEps ?? 1e-5;
    const layer: TransformerLayerOptions = {
      dimFeedforward: o.dimFeedforward ?? 2048,
      dropout: o.dropout ?? 0.1,
      activation: o.activation ?? 'relu',
      layerNormEps: eps,
      batchFirst: o.batchFirst ?? false,
      normFirst: o.normFirst ?? false,
      device: o.device,
      dtype: o.dtype,
    };
    const norm = () => new LayerNorm(dModel, { eps, device: o.device });
    this.encoder = o.customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layer), o.numEncoderLayers ?? 6, norm());
    this.decoder = o.customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layer), o.numDecoderLayers ?? 6, norm());
    this._resetParameters();
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = o.batchFirst ?? false;
  }

  /**
   * `src` `[S, N, E]` through the encoder, then `tgt` `[T, N, E]` through the decoder attending to it; returns
   * `[T, N, E]` (batch first when `batchFirst`; unbatched inputs too).
   */
  override forward(src: Tensor, tgt: Tensor, options?: TransformerForwardOptions): Tensor;
  override forward(src: Tensor, tgt: Tensor, ...args: unknown[]): Tensor;
  override forward(src: Tensor, tgt: Tensor, ...args: unknown[]): Tensor {
    const o = bindArgs<TransformerForwardOptions>(FORWARD_ARGS, args);
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[batchDim] !== tgt.shape[batchDim]) throw new RangeError('the batch number of src and tgt must be equal');
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new RangeError('the feature number of src and tgt must be equal to d_model');
    }
    const memory = (this.encoder as Callable)(src, { mask: o.srcMask ?? null, srcKeyPaddingMask: o.srcKeyPaddingMask ?? null });
    return (this.decoder as Callable)(tgt, memory, {
      tgtMask: o.tgtMask ?? null,
      memoryMask: o.memoryMask ?? null,
      tgtKeyPaddingMask: o.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask ?? null,
    });
  }

  /** `[sz, sz]` float: -inf above the diagonal (future positions), 0 on and below it, as PyTorch's. */
  static generateSquareSubsequentMask(sz: number, device: DeviceLike = 'cpu'): Tensor {
    return full([sz, sz], -Infinity, { device }).triu(1);
  }

  /** PyTorch's `_reset_parameters`: xavier_uniform_ on every parameter with more than one dim, in order. */
  _resetParameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }
}
