import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import { deepCopyModule } from '../deep-copy.js';
import { checkKeyPaddingMaskDtype } from '../functional/attention-masks.js';
import { ModuleList } from './module-list.js';
import { DECODER_FORWARD_POSITIONAL, type TransformerDecoderLayerForwardOptions } from './transformer-decoder-layer.js';

/** The arguments of `nn.TransformerEncoder` after `num_layers`, by keyword. */
export interface TransformerEncoderOptions {
  /** Applied to the last layer's output. Default null. */
  norm?: Module | null;
  /** PyTorch's switch for its nested-tensor inference path; kept for the signature. Default true. */
  enableNestedTensor?: boolean;
  /** PyTorch's check that padding masks are left-aligned before that path; kept for the signature. Default true. */
  maskCheck?: boolean;
}

/** The arguments of `TransformerEncoder.forward` after `src`, by keyword. */
export interface TransformerEncoderForwardOptions {
  /** `[S, S]` or `[N * nhead, S, S]`, given to every layer as its `srcMask`. */
  mask?: Tensor | null;
  /** `[N, S]`, given to every layer. */
  srcKeyPaddingMask?: Tensor | null;
  /** PyTorch 2.0's hint that `mask` is the causal mask. Default false. */
  isCausal?: boolean | null;
}

/** The arguments of `nn.TransformerDecoder` after `num_layers`, by keyword. */
export interface TransformerDecoderOptions {
  norm?: Module | null;
}

/** `numLayers` deep copies of `layer` (the same starting weights, learned apart), as PyTorch's `_get_clones`. */
function clones(layer: Module, numLayers: number): ModuleList {
  return new ModuleList(Array.from({ length: numLayers }, () => deepCopyModule(layer)));
}

const ENCODER_ARGS = { fn: 'TransformerEncoder.__init__', required: ['encoderLayer', 'numLayers'], positional: ['norm', 'enableNestedTensor', 'maskCheck'] } as const;
const ENCODER_FORWARD_ARGS = { fn: 'TransformerEncoder.forward', required: 1, positional: ['mask', 'srcKeyPaddingMask', 'isCausal'] } as const;
const DECODER_ARGS = { fn: 'TransformerDecoder.__init__', required: ['decoderLayer', 'numLayers'], positional: ['norm'] } as const;
const DECODER_FORWARD_ARGS = { fn: 'TransformerDecoder.forward', required: 2, positional: DECODER_FORWARD_POSITIONAL } as const;

type EncoderLayerLike = Module & ((src: Tensor, options: { srcMask: Tensor | null; srcKeyPaddingMask: Tensor | null; isCausal: boolean }) => Tensor);
type DecoderLayerLike = Module & ((tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions) => Tensor);

/**
 * A stack of `numLayers` copies of `encoderLayer`, then `norm` if given, as PyTorch 1.13's
 * `nn.TransformerEncoder(encoder_layer, num_layers, norm=None)`. The copies are deep (`layers.0`, `layers.1`, ...
 * start with `encoderLayer`'s weights and are trained apart); `encoderLayer` itself is not part of the stack.
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: Module | null;
  readonly enableNestedTensor: boolean;
  readonly maskCheck: boolean;

  constructor(encoderLayer: Module, numLayers: number, options?: TransformerEncoderOptions);
  constructor(encoderLayer: Module, numLayers: number, ...args: unknown[]);
  /** `numLayers` by keyword too: `new nn.TransformerEncoder(layer, { numLayers: 6 })`. */
  constructor(encoderLayer: Module, options: TransformerEncoderOptions & { numLayers: number });
  constructor(options: TransformerEncoderOptions & { encoderLayer: Module; numLayers: number });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<TransformerEncoderOptions & { encoderLayer: Module; numLayers: number }>(ENCODER_ARGS, args);
    const { encoderLayer, numLayers } = o;
    this.layers = clones(encoderLayer, numLayers);
    this.numLayers = numLayers;
    this.norm = o.norm ?? null;
    this.enableNestedTensor = o.enableNestedTensor ?? true;
    this.maskCheck = o.maskCheck ?? true;
  }

  override forward(src: Tensor, options?: TransformerEncoderForwardOptions): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor;
  override forward(src: Tensor, ...args: unknown[]): Tensor {
    const o = bindArgs<TransformerEncoderForwardOptions>(ENCODER_FORWARD_ARGS, args);
    const srcKeyPaddingMask = o.srcKeyPaddingMask ?? null;
    checkKeyPaddingMaskDtype(srcKeyPaddingMask);
    const layerOptions = { srcMask: o.mask ?? null, srcKeyPaddingMask, isCausal: o.isCausal ?? false };
    let output = src;
    for (const layer of this.layers) output = (layer as EncoderLayerLike)(output, layerOptions);
    return this.norm ? (this.norm as Module & ((x: Tensor) => Tensor))(output) : output;
  }
}

/**
 * A stack of `numLayers` copies of `decoderLayer`, then `norm` if given, as PyTorch 1.13's
 * `nn.TransformerDecoder(decoder_layer, num_layers, norm=None)` (deep copies, as TransformerEncoder's).
 */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: Module | null;

  constructor(decoderLayer: Module, numLayers: number, options?: TransformerDecoderOptions);
  constructor(decoderLayer: Module, numLayers: number, ...args: unknown[]);
  /** `numLayers` by keyword too: `new nn.TransformerDecoder(layer, { numLayers: 6 })`. */
  constructor(decoderLayer: Module, options: TransformerDecoderOptions & { numLayers: number });
  constructor(options: TransformerDecoderOptions & { decoderLayer: Module; numLayers: number });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<TransformerDecoderOptions & { decoderLayer: Module; numLayers: number }>(DECODER_ARGS, args);
    const { decoderLayer, numLayers } = o;
    this.layers = clones(decoderLayer, numLayers);
    this.numLayers = numLayers;
    this.norm = o.norm ?? null;
  }

  /** `tgt` `[T, N, E]` attending to `memory` `[S, N, E]` through every layer; masks as TransformerDecoderLayer's. */
  override forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderLayerForwardOptions): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor;
  override forward(tgt: Tensor, memory: Tensor, ...args: unknown[]): Tensor {
    const o = bindArgs<TransformerDecoderLayerForwardOptions>(DECODER_FORWARD_ARGS, args);
    let output = tgt;
    for (const layer of this.layers) output = (layer as DecoderLayerLike)(output, memory, o);
    return this.norm ? (this.norm as Module & ((x: Tensor) => Tensor))(output) : output;
  }
}
