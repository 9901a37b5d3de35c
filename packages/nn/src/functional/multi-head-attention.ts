import { bmm, cat, zeros, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { pySize, pyTuple } from '../python-repr.js';
import { linear } from './linear.js';
import { dropout } from './dropout.js';
import { additiveAttnMask, canonicalAttnMask, checkKeyPaddingMaskDtype, mergeKeyPaddingMask, padLastDim } from './attention-masks.js';

/** The arguments of `multiHeadAttentionForward` after `outProjBias`, by keyword. */
export interface MultiHeadAttentionForwardOptions {
  /** Apply dropout to the attention weights. Default true. */
  training?: boolean;
  /** `[N, S]` (`[S]` unbatched): true (or -inf in a float mask) where a key is padding that no query attends to. */
  keyPaddingMask?: Tensor | null;
  /** Also return the attention weights. Default true. */
  needWeights?: boolean;
  /** `[L, S]` or `[N * heads, L, S]`: true (or nonzero bytes) where attending is not allowed; a float mask is added. */
  attnMask?: Tensor | null;
  /** Project with `qProjWeight`, `kProjWeight`, `vProjWeight` instead of the packed `inProjWeight`. Default false. */
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  /** `[N * heads, S, headDim]`: keys to use as they are, instead of the projected `key`. */
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  /** Average the returned weights over the heads (else `[N, heads, L, S]`). Default true. */
  averageAttnWeights?: boolean;
  /** PyTorch 2.0's hint that `attnMask` is the causal mask; the mask is still what is applied. Default false. */
  isCausal?: boolean;
}

const MHA_ARGS = {
  fn: 'multi_head_attention_forward',
  required: 13,
  positional: [
    'training', 'keyPaddingMask', 'needWeights', 'attnMask', 'useSeparateProjWeight', 'qProjWeight', 'kProjWeight',
    'vProjWeight', 'staticK', 'staticV', 'averageAttnWeights', 'isCausal',
  ],
} as const;

/** PyTorch's `_mha_shape_check`: whether the input is batched, with its errors for inconsistent ranks. */
function isBatched(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor | null, attnMask: Tensor | null, heads: number): boolean {
  const batched = query.ndim === 3;
  if (!batched && query.ndim !== 2) {
    throw new RangeError(`query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
  }
  const [rank, form] = batched ? [3, 'batched (3-D)'] : [2, 'unbatched (2-D)'];
  if (key.ndim !== rank || value.ndim !== rank) {
    throw new RangeError(`For ${form} \`query\`, expected \`key\` and \`value\` to be ${rank}-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
  }
  if (keyPaddingMask && keyPaddingMask.ndim !== rank - 1) {
    throw new RangeError(`For ${form} \`query\`, expected \`key_padding_mask\` to be \`None\` or ${rank - 1}-D but found ${keyPaddingMask.ndim}-D tensor instead`);
  }
  if (attnMask && attnMask.ndim !== 2 && attnMask.ndim !== 3) {
    throw new RangeError(`For ${form} \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
  }
  if (!batched && attnMask?.ndim === 3) {
    const want = [heads, query.shape[0], key.shape[0]];
    if (attnMask.shape.some((n, i) => n !== want[i])) {
      throw new RangeError(`Expected \`attn_mask\` shape to be ${pyTuple(want)} but got ${pySize(attnMask.shape)}`);
    }
  }
  return batched;
}

/** PyTorch's `_in_projection_packed`: one weight `[3E, E]` for q, k and v, with one matmul for self-attention. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const embed = q.shape[q.ndim - 1];
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [wQ, wKV] = w.split([embed, embed * 2]);
    const [bQ, bKV] = b ? b.split([embed, embed * 2]) : [null, null];
    return [linear(q, wQ, bQ), ...linear(k, wKV, bKV).chunk(2, -1)];
  }
  const [wQ, wK, wV] = w.chunk(3);
  const [bQ, bK, bV] = b ? b.chunk(3) : [null, null, null];
  return [linear(q, wQ, bQ), linear(k, wK, bK), linear(v, wV, bV)];
}

/** PyTorch's `_in_projection`: separate weights `[E, E]`, `[E, kdim]`, `[E, vdim]`, with its shape checks. */
function inProjection(q: Tensor, k: Tensor, v: Tensor, weights: Tensor[], biases: (Tensor | null)[]): Tensor[] {
  const embed = q.shape[q.ndim - 1];
  const names = ['query', 'key', 'value'];
  return [q, k, v].map((x, i) => {
    const want = [embed, x.shape[x.ndim - 1]];
    if (weights[i].shape.some((n, j) => n !== want[j]) || weights[i].ndim !== 2) {
      throw new RangeError(`expecting ${names[i]} weights shape of ${pyTuple(want)}, but got ${pySize(weights[i].shape)}`);
    }
    const bias = biases[i];
    if (bias && (bias.ndim !== 1 || bias.shape[0] !== embed)) {
      throw new RangeError(`expecting ${names[i]} bias shape of ${pyTuple([embed])}, but got ${pySize(bias.shape)}`);
    }
    return linear(x, weights[i], bias);
  });
}

function required(t: Tensor | null | undefined, message: string): Tensor {
  if (!t) throw new Error(message);
  return t;
}

/** `[len, B, E]` into `[B * heads, len, headDim]`, one batch entry per (sample, head). */
function splitHeads(x: Tensor, batchHeads: number, headDim: number): Tensor {
  return x.contiguous().view([x.shape[0], batchHeads, headDim]).transpose(0, 1);
}

/** A given `staticK`/`staticV`, checked against `[B * heads, S, headDim]`. */
function checkStatic(t: Tensor, which: string, batchHeads: number, headDim: number): Tensor {
  if (t.shape[0] !== batchHeads) throw new RangeError(`expecting ${which}.size(0) of ${batchHeads}, but got ${t.shape[0]}`);
  if (t.shape[2] !== headDim) throw new RangeError(`expecting ${which}.size(2) of ${headDim}, but got ${t.shape[2]}`);
  return t;
}

/**
 * Multi-head attention on `[L, N, E]` queries and `[S, N, kdim]`/`[S, N, vdim]` keys and values (unbatched `[L, E]`
 * too), the math of PyTorch 1.13's `F.multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
 * in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, ...)`:
 * project, split into heads, `softmax(q k^T / sqrt(headDim) + mask)` with dropout, weigh the values, project
 * out. Returns `[output, weights]`, the weights null unless `needWeights`.
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  inProjWeight: Tensor | null,
  inProjBias: Tensor | null,
  biasK: Tensor | null,
  biasV: Tensor | null,
  addZeroAttn: boolean,
  dropoutP: number,
  outProjWeight: Tensor,
  outProjBias: Tensor | null,
  ...args: [MultiHeadAttentionForwardOptions?] | unknown[]
): [Tensor, Tensor | null] {
  const o = bindArgs<MultiHeadAttentionForwardOptions>(MHA_ARGS, args);
  let keyPaddingMask = o.keyPaddingMask ?? null;
  let attnMask = o.attnMask ?? null;
  const batched = isBatched(query, key, value, keyPaddingMask, attnMask, numHeads);
  if (!batched) {
    [query, key, value] = [query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)];
    if (keyPaddingMask) keyPaddingMask = keyPaddingMask.unsqueeze(0);
  }
  const [targetLength, batch, embed] = query.shape;
  let sourceLength = key.shape[0];
  checkKeyPaddingMaskDtype(keyPaddingMask);
  if (o.isCausal && !attnMask) {
    throw new Error(
      'Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.',
    );
  }
  if (embed !== embedDimToCheck) throw new RangeError(`was expecting embedding dimension of ${embedDimToCheck}, but got ${embed}`);
  const headDim = Math.floor(embed / numHeads);
  if (headDim * numHeads !== embed) throw new RangeError(`embed_dim ${embed} not divisible by num_heads ${numHeads}`);
  if (o.useSeparateProjWeight) {
    if (key.shape[0] !== value.shape[0] || key.shape[1] !== value.shape[1]) {
      throw new RangeError(`key's sequence and batch dims ${pySize(key.shape.slice(0, 2))} do not match value's ${pySize(value.shape.slice(0, 2))}`);
    }
  } else if (key.shape.some((n, i) => n !== value.shape[i])) {
    throw new RangeError(`key shape ${pySize(key.shape)} does not match value shape ${pySize(value.shape)}`);
  }

  let q: Tensor, k: Tensor, v: Tensor;
  if (!o.useSeparateProjWeight) {
    const w = required(inProjWeight, 'use_separate_proj_weight is False but in_proj_weight is None');
    [q, k, v] = inProjectionPacked(query, key, value, w, inProjBias);
  } else {
    const weights = (['q', 'k', 'v'] as const).map((n) =>
      required(o[`${n}ProjWeight`], `use_separate_proj_weight is True but ${n}_proj_weight is None`),
    );
    const biases = inProjBias ? inProjBias.chunk(3) : [null, null, null];
    [q, k, v] = inProjection(query, key, value, weights, biases);
  }

  if (attnMask) attnMask = canonicalAttnMask(attnMask, targetLength, sourceLength, numHeads, batch);
  if (biasK && biasV) {
    if (o.staticK) throw new Error('bias cannot be added to static key.');
    if (o.staticV) throw new Error('bias cannot be added to static value.');
    k = cat([k, biasK.repeat(1, batch, 1)]);
    v = cat([v, biasV.repeat(1, batch, 1)]);
    if (attnMask) attnMask = padLastDim(attnMask);
    if (keyPaddingMask) keyPaddingMask = padLastDim(keyPaddingMask);
  } else if (biasK || biasV) {
    throw new Error('bias_k and bias_v must be given together');
  }

  const batchHeads = batch * numHeads;
  q = splitHeads(q, batchHeads, headDim);
  k = o.staticK ? checkStatic(o.staticK, 'static_k', batchHeads, headDim) : splitHeads(k, batchHeads, headDim);
  v = o.staticV ? checkStatic(o.staticV, 'static_v', batchHeads, headDim) : splitHeads(v, batchHeads, headDim);
  if (addZeroAttn) {
    const zeroAttn = [batchHeads, 1, headDim];
    k = cat([k, zeros(zeroAttn, { dtype: k.dtype, device: k.device })], 1);
    v = cat([v, zeros(zeroAttn, { dtype: v.dtype, device: v.device })], 1);
    if (attnMask) attnMask = padLastDim(attnMask);
    if (keyPaddingMask) keyPaddingMask = padLastDim(keyPaddingMask);
  }
  sourceLength = k.shape[1];
  if (keyPaddingMask) attnMask = mergeKeyPaddingMask(attnMask, keyPaddingMask, numHeads, batch, sourceLength);
  if (attnMask) attnMask = additiveAttnMask(attnMask, q.dtype);

  // The scores as PyTorch computes them: q scaled first, then baddbmm(mask, q, k^T).
  let scores = bmm(q.div(Math.sqrt(headDim)), k.transpose(-2, -1));
  if (attnMask) scores = attnMask.add(scores);
  let weights = scores.softmax(-1);
  const p = o.training === false ? 0 : dropoutP;
  if (p > 0) weights = dropout(weights, p, true);

  let output = bmm(weights, v).transpose(0, 1).contiguous().view([targetLength * batch, embed]);
  output = linear(output, outProjWeight, outProjBias);
  output = output.view([targetLength, batch, output.shape[1]]);
  if (o.needWeights === false) return [batched ? output : output.squeeze(1), null];
  let attnWeights = weights.view([batch, numHeads, targetLength, sourceLength]);
  if (o.averageAttnWeights !== false) attnWeights = attnWeights.sum(1).div(numHeads);
  return batched ? [output, attnWeights] : [output.squeeze(1), attnWeights.squeeze(0)];
}
