import { arange, bindArgs, cat, presentAs, tensor, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { pySize } from '../python-repr.js';
import { valuesIfReadable } from './checks.js';

export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

/** `F.embedding_bag`'s arguments after `input` and `weight`, by keyword. */
export interface EmbeddingBagOptions {
  offsets?: Tensor | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

type EmbeddingBagPositional = [
  offsets: Tensor | null,
  maxNorm: number | null,
  normType: number,
  scaleGradByFreq: boolean,
  mode: EmbeddingBagMode,
  sparse: boolean,
  perSampleWeights: Tensor | null,
  includeLastOffset: boolean,
  paddingIdx: number | null,
];

const SPEC = {
  fn: 'embedding_bag',
  required: 2,
  positional: ['offsets', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', 'perSampleWeights', 'includeLastOffset', 'paddingIdx'],
};

/**
 * Sums, means or maxima of bags of `weight`'s rows, as `F.embedding_bag`: a 1-D `input` split into bags at
 * `offsets`, or a 2-D `input` whose rows are the bags. Composed from `indexSelect`, a bag-membership matmul (sum,
 * mean) and a masked `max` (max), so every device runs it and autograd needs no rule of its own.
 */
export function embeddingBag(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<EmbeddingBagPositional, EmbeddingBagOptions>): Tensor {
  const o = bindArgs<EmbeddingBagOptions>(SPEC, args);
  const mode = o.mode ?? 'mean';
  const includeLastOffset = o.includeLastOffset ?? false;
  let psw = o.perSampleWeights ?? null;
  const offsets = o.offsets ?? null;
  if (psw !== null && psw.shape.join() !== input.shape.join()) {
    throw new Error(`embedding_bag: If per_sample_weights (${pySize(psw.shape)}) is not None, then it must have the same shape as the input (${pySize(input.shape)})`);
  }
  let flat = input;
  if (input.ndim === 2) {
    if (offsets !== null) {
      throw new Error(
        "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>",
      );
    }
    flat = input.reshape([-1]);
    psw = psw?.reshape([-1]) ?? null;
  } else if (input.ndim === 1) {
    if (offsets === null) throw new Error('offsets has to be a 1D Tensor but got None');
    if (offsets.ndim !== 1) throw new Error('offsets has to be a 1D Tensor');
  } else {
    throw new Error(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max') throw new Error('mode has to be one of sum, mean or max');
  if (mode === 'max' && o.scaleGradByFreq) throw new Error('max mode does not support scaling the gradient by the frequency');
  if (mode === 'max' && o.sparse) throw new Error('max mode does not support sparse weights');
  // Renormalizing and sparse gradients write or hold what dense composed ops do not: refuse rather than differ.
  if (o.maxNorm != null) throw new Error('embedding_bag: max_norm is not supported in Descent');
  if (o.scaleGradByFreq) throw new Error('embedding_bag: scale_grad_by_freq is not supported in Descent');
  if (o.sparse) throw new Error('embedding_bag: sparse gradients are not supported in Descent; use sparse=False');
  if (psw !== null && mode !== 'sum') {
    throw new Error(
      `embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`,
    );
  }
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype} instead (while checking arguments for embedding_bag)`,
    );
  }
  const rows = weight.shape[0];
  const n = flat.shape[0];
  const device = input.device;
  checkValues(flat, offsets, rows, n);

  const [starts, ends] = bagBounds(input, offsets, n, includeLastOffset);
  const position = arange(n, { dtype: 'int64', device }).unsqueeze(0);
  let member = position.ge(starts.unsqueeze(1)).logicalAnd(position.lt(ends.unsqueeze(1)));
  const paddingIdx = o.paddingIdx ?? null;
  if (paddingIdx !== null) member = member.logicalAnd(flat.ne(paddingIdx < 0 ? paddingIdx + rows : paddingIdx).unsqueeze(0));

  const picked = weight.indexSelect(0, flat.long());
  let out: Tensor;
  if (mode === 'max') {
    const masked = where(member.unsqueeze(2), picked.unsqueeze(0), -Infinity);
    out = where(member.any(1).unsqueeze(1), masked.max(1).values, 0);
  } else {
    let weights = member.to(weight.dtype);
    if (psw !== null) weights = weights.mul(psw.unsqueeze(0));
    out = weights.matmul(picked);
    if (mode === 'mean') out = out.div(member.sum(1).clamp(1).unsqueeze(1).to(weight.dtype));
  }
  return presentAs(out, 'EmbeddingBagBackward0', [weight, psw]);
}

/** Each bag's `[start, end)` into the flattened input: the rows of a 2-D input, else cut at `offsets`. */
function bagBounds(input: Tensor, offsets: Tensor | null, n: number, includeLastOffset: boolean): [Tensor, Tensor] {
  const device = input.device;
  if (input.ndim === 2 || offsets === null) {
    const length = input.shape[1];
    const starts = arange(0, n, length, { dtype: 'int64', device }).reshape([input.shape[0]]);
    return [starts, starts.add(length)];
  }
  const offs = offsets.long();
  const bags = includeLastOffset ? offs.shape[0] - 1 : offs.shape[0];
  const ends = includeLastOffset ? offs.narrow(0, 1, bags) : cat([offs.narrow(0, 1, bags - 1), tensor([n], { dtype: 'int64', device })]);
  return [offs.narrow(0, 0, bags), ends];
}

/** PyTorch's checks of the offsets and indices, where the values can be read cheaply. */
function checkValues(flat: Tensor, offsets: Tensor | null, rows: number, n: number): void {
  const indices = valuesIfReadable(flat);
  if (indices) {
    indices.forEach((v, i) => {
      const idx = Number(v);
      if (idx < 0 || idx >= rows) {
        throw new RangeError(`[enforce fail at embedding_lookup_idx.cc:214] 0 <= idx && idx < data_size. Index ${i} is out of bounds: ${idx}, range 0 to ${rows}`);
      }
    });
  }
  const offs = offsets && offsets.ndim === 1 ? valuesIfReadable(offsets) : null;
  if (offs && offs.length > 0) {
    const first = Number(offs[0]);
    const last = Number(offs[offs.length - 1]);
    if (first !== 0) throw new Error(`offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${first}`);
    if (last > n) throw new Error(`offsets[-1] can not be greater than input's length ${n} but got offsets[-1] of ${last}`);
  }
}
