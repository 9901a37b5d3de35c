import { ones, zeros, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { dropout } from './dropout.js';

/** The arguments of `scaledDotProductAttention` after `value`, by keyword. */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcast to `[..., L, S]`. A bool mask says which positions take part (true) and which do not (false, as
   * -inf before the softmax); a float mask is added to the scores.
   */
  attnMask?: Tensor | null;
  /** Dropout on the attention weights, applied whenever it is above 0 (there is no training flag). Default 0. */
  dropoutP?: number;
  /** Each query position i attends to the key positions j <= i only; `attnMask` must then be left out. Default false. */
  isCausal?: boolean;
}

const SDPA_ARGS = { fn: 'scaled_dot_product_attention', required: 3, positional: ['attnMask', 'dropoutP', 'isCausal'] } as const;

/**
 * `softmax(query @ key^T / sqrt(E) + mask) @ value`, as PyTorch 2.0's `F.scaled_dot_product_attention(query, key,
 * value, attn_mask=None, dropout_p=0.0, is_causal=False)` computes it (its math path): `query` is `[..., L, E]`,
 * `key` `[..., S, E]`, `value` `[..., S, Ev]`, and the batch dims broadcast. Returns `[..., L, Ev]`.
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options?: ScaledDotProductAttentionOptions): Tensor;
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  attnMask?: Tensor | null,
  dropoutP?: number,
  isCausal?: boolean,
): Tensor;
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, ...args: unknown[]): Tensor {
  const { attnMask = null, dropoutP = 0, isCausal = false } = bindArgs<ScaledDotProductAttentionOptions>(SDPA_ARGS, args);
  if (isCausal && attnMask) throw new Error('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  if (!(dropoutP >= 0 && dropoutP <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${dropoutP}`);
  const [targetLength, embed] = query.shape.slice(-2);
  const sourceLength = key.shape[key.ndim - 2];
  const allowed = isCausal ? ones([targetLength, sourceLength], { dtype: 'bool', device: query.device }).tril() : attnMask;
  let scores = query.matmul(key.transpose(-2, -1)).div(Math.sqrt(embed));
  if (allowed) scores = scores.add(additiveMask(allowed, query));
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true);
  return weights.matmul(value);
}

/** A float mask as is; a bool one as 0 where it is true and -inf where it is false, in `query`'s dtype. */
function additiveMask(mask: Tensor, query: Tensor): Tensor {
  if (mask.dtype !== 'bool') return mask;
  return zeros(mask.shape, { dtype: query.dtype, device: query.device }).maskedFill(mask.logicalNot(), -Infinity);
}
