// The mask handling of PyTorch 1.13's F.multi_head_attention_forward: dtype and shape checks, the merge of the key
// padding mask into the attention mask, and the conversion of a bool mask into an additive one.
import { cat, where, zeros, type Tensor } from '@descent/tensor';
import { pySize, pyTuple } from '../python-repr.js';

// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };

const isFloating = (t: Tensor): boolean => t.dtype === 'float32' || t.dtype === 'float64';

/** PyTorch's check (in the module and the encoder layer too) that a key padding mask is bool or floating. */
export function checkKeyPaddingMaskDtype(mask: Tensor | null): void {
  if (mask && mask.dtype !== 'bool' && !isFloating(mask)) {
    throw new Error('only bool and floating types of key_padding_mask are supported');
  }
}

/**
 * The attention mask as `[1, L, S]` or `[B * heads, L, S]`: a byte mask becomes bool (with PyTorch's warning),
 * other dtypes than bool and floating and wrong shapes throw PyTorch's errors.
 */
export function canonicalAttnMask(mask: Tensor, targetLength: number, sourceLength: number, heads: number, batch: number): Tensor {
  if (mask.dtype === 'uint8') {
    console.warn('UserWarning: Byte tensor for attn_mask in nn.MultiheadAttention is deprecated. Use bool tensor instead.');
    mask = mask.to('bool');
  } else if (mask.dtype !== 'bool' && !isFloating(mask)) {
    throw new Error(`Only float, byte, and bool types are supported for attn_mask, not torch.${mask.dtype}`);
  }
  if (mask.ndim === 2) {
    const want = [targetLength, sourceLength];
    if (!sameShape(mask.shape, want)) {
      throw new RangeError(`The shape of the 2D attn_mask is ${pySize(mask.shape)}, but should be ${pyTuple(want)}.`);
    }
    return mask.unsqueeze(0);
  }
  if (mask.ndim === 3) {
    const want = [batch * heads, targetLength, sourceLength];
    if (!sameShape(mask.shape, want)) {
      throw new RangeError(`The shape of the 3D attn_mask is ${pySize(mask.shape)}, but should be ${pyTuple(want)}.`);
    }
    return mask;
  }
  throw new RangeError(`attn_mask's dimension ${mask.ndim} is not supported`);
}

/** One more key position that nothing masks (a zero column), as PyTorch's `pad(mask, (0, 1))`. */
export function padLastDim(mask: Tensor): Tensor {
  const shape = [...mask.shape.slice(0, -1), 1];
  return cat([mask, zeros(shape, { dtype: mask.dtype, device: mask.device })], -1);
}

/**
 * The key padding mask `[B, S]` repeated for each head as `[B * heads, 1, S]` and merged into the attention mask:
 * or-ed into a bool mask, -inf into a float one, or used alone when there is none.
 */
export function mergeKeyPaddingMask(attnMask: Tensor | null, keyPaddingMask: Tensor, heads: number, batch: number, sourceLength: number): Tensor {
  const want = [batch, sourceLength];
  if (!sameShape(keyPaddingMask.shape, want)) {
    throw new RangeError(`expecting key_padding_mask shape of ${pyTuple(want)}, but got ${pySize(keyPaddingMask.shape)}`);
  }
  const perHead = keyPaddingMask
    .view([batch, 1, 1, sourceLength])
    .expand([batch, heads, 1, sourceLength])
    .reshape([batch * heads, 1, sourceLength]);
  if (attnMask === null) return perHead;
  if (attnMask.dtype === 'bool') return attnMask.logicalOr(perHead);
  // where, not maskedFill: the result takes the broadcast shape of both masks, as PyTorch's masked_fill does.
  return where(perHead, -Infinity, attnMask);
}

/** A bool mask (true: masked out) as 0 and -inf in `dtype`; a float mask as is. */
export function additiveAttnMask(mask: Tensor, dtype: Tensor['dtype']): Tensor {
  if (mask.dtype !== 'bool') return mask;
  return zeros(mask.shape, { dtype, device: mask.device }).maskedFill(mask, -Infinity);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
