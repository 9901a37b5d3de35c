import { empty, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { resetEmbeddingRows } from './embedding.js';
import { embeddingBag, type EmbeddingBagMode } from '../functional/embedding-bag.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { pyFloat } from '../python-repr.js';

export interface EmbeddingBagModuleOptions {
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  mode?: EmbeddingBagMode;
  sparse?: boolean;
  /** Use this `[numEmbeddings, embeddingDim]` tensor as the weight instead of a random one (PyTorch's `_weight`). */
  weight?: Tensor | null;
  includeLastOffset?: boolean;
  /** This row is left out of every bag, gets no gradient and starts at zero. Negative counts from the end. */
  paddingIdx?: number | null;
  device?: DeviceLike;
}

type Positional = [
  maxNorm: number | null,
  normType: number,
  scaleGradByFreq: boolean,
  mode: EmbeddingBagMode,
  sparse: boolean,
  weight: Tensor | null,
  includeLastOffset: boolean,
  paddingIdx: number | null,
];

/** `nn.EmbeddingBag`'s `forward(input, offsets=None, per_sample_weights=None)` arguments after `input`, by keyword. */
export interface EmbeddingBagForwardOptions {
  offsets?: Tensor | null;
  perSampleWeights?: Tensor | null;
}

/**
 * Sums, means or maxima over bags of embeddings without building the per-token ones, as `nn.EmbeddingBag`:
 * `bag(text, offsets)` for a 1-D `text` cut at `offsets`, `bag(batch)` for a 2-D batch of equal bags. The weight
 * starts N(0, 1), as PyTorch's `reset_parameters`.
 */
export class EmbeddingBag extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly mode: EmbeddingBagMode;
  readonly sparse: boolean;
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, ...args: ArgsThenOptions<Positional, EmbeddingBagModuleOptions>);
  constructor(options: EmbeddingBagModuleOptions & { numEmbeddings: number; embeddingDim: number });
  constructor(...args: unknown[]) {
    super();
    const spec = {
      fn: 'EmbeddingBag.__init__',
      required: ['numEmbeddings', 'embeddingDim'],
      positional: ['maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', 'weight', 'includeLastOffset', 'paddingIdx'],
      keywordOnly: ['device'],
    };
    const o = bindArgs<EmbeddingBagModuleOptions & { numEmbeddings: number; embeddingDim: number }>(spec, args);
    this.numEmbeddings = o.numEmbeddings;
    this.embeddingDim = o.embeddingDim;
    this.maxNorm = o.maxNorm ?? null;
    this.normType = o.normType ?? 2;
    this.scaleGradByFreq = o.scaleGradByFreq ?? false;
    this.mode = o.mode ?? 'mean';
    this.sparse = o.sparse ?? false;
    this.includeLastOffset = o.includeLastOffset ?? false;
    let paddingIdx = o.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx >= o.numEmbeddings || paddingIdx < -o.numEmbeddings) throw new RangeError('padding_idx must be within num_embeddings');
      if (paddingIdx < 0) paddingIdx += o.numEmbeddings;
    }
    this.paddingIdx = paddingIdx;
    if (o.weight) {
      if (o.weight.shape.join() !== `${o.numEmbeddings},${o.embeddingDim}`) {
        throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(o.weight);
    } else {
      this.weight = new Parameter(empty([o.numEmbeddings, o.embeddingDim], { device: o.device }));
      this.resetParameters();
    }
  }

  /**
   * A bag module holding `embeddings` (`[numEmbeddings, embeddingDim]`), as `EmbeddingBag.from_pretrained`: fixed
   * (no gradient) unless `freeze: false`.
   */
  static fromPretrained(embeddings: Tensor, options: Omit<EmbeddingBagModuleOptions, 'weight' | 'device'> & { freeze?: boolean } = {}): EmbeddingBag {
    if (embeddings.ndim !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const { freeze = true, ...rest } = options;
    const [rows, cols] = embeddings.shape;
    const module = new EmbeddingBag(rows, cols, { ...rest, weight: embeddings });
    module.weight.requiresGrad_(!freeze);
    return module;
  }

  resetParameters(): void {
    resetEmbeddingRows(this.weight, this.paddingIdx);
  }

  override forward(input: Tensor, ...args: ArgsThenOptions<[offsets: Tensor | null, perSampleWeights: Tensor | null], EmbeddingBagForwardOptions>): Tensor {
    const o = bindArgs<EmbeddingBagForwardOptions>({ fn: 'forward', required: 2, positional: ['offsets', 'perSampleWeights'] }, args);
    return embeddingBag(input, this.weight, {
      offsets: o.offsets,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      mode: this.mode,
      sparse: this.sparse,
      perSampleWeights: o.perSampleWeights,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    s += `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
