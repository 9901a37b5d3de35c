import type { DeviceLike, DType, Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { gelu, relu } from '../functional/activation.js';
import { GELU, ReLU } from './activation.js';

/** A Transformer layer's activation: PyTorch's names, a function, or a module (then registered as a submodule). */
export type TransformerActivation = 'relu' | 'gelu' | ((input: Tensor) => Tensor) | Module;

/** The arguments of `nn.TransformerEncoderLayer` and `nn.TransformerDecoderLayer` after `nhead`, by keyword. */
export interface TransformerLayerOptions {
  /** The hidden size of the feedforward block. Default 2048. */
  dimFeedforward?: number;
  /** Dropout in the attention and after each block, in training mode. Default 0.1. */
  dropout?: number;
  /** The feedforward block's activation. Default `'relu'` (`F.relu`). */
  activation?: TransformerActivation;
  /** The layer norms' eps. Default 1e-5. */
  layerNormEps?: number;
  /** Inputs and output are `[batch, seq, feature]` instead of `[seq, batch, feature]`. Default false. */
  batchFirst?: boolean;
  /** Normalize before each block (pre-LN) instead of after the residual sum. Default false. */
  normFirst?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

/** A transformer layer's required arguments, which PyTorch also takes by keyword: `d_model=512, nhead=8`. */
export interface TransformerLayerSizes {
  dModel: number;
  nhead: number;
}

export const TRANSFORMER_LAYER_POSITIONAL = [
  'dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'device', 'dtype',
] as const;

/** PyTorch's `_get_activation_fn` for a name; a function or module as it is. */
export function resolveActivation(activation: TransformerActivation): ((input: Tensor) => Tensor) | Module {
  if (typeof activation !== 'string') return activation;
  if (activation === 'relu') return relu;
  if (activation === 'gelu') return gelu;
  throw new Error(`activation should be relu/gelu, not ${String(activation)}`);
}

/** PyTorch's `activation_relu_or_gelu` flag (1 relu, 2 gelu, 0 anything else), which picks its fused path. */
export function activationKind(activation: ((input: Tensor) => Tensor) | Module): 0 | 1 | 2 {
  if (activation === relu || activation instanceof ReLU) return 1;
  if (activation === gelu || activation instanceof GELU) return 2;
  return 0;
}
