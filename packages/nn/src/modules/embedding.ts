import { empty, noGrad, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { normal_ } from '../init.js';
import { embedding } from '../functional/embedding.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';

export interface EmbeddingOptions {
  /** This row gets no gradient and starts at zero (a "padding" token). Negative counts from the end. */
  paddingIdx?: number | null;
  device?: DeviceLike;
  /** Use this `[numEmbeddings, embeddingDim]` tensor as the weight instead of a random one (PyTorch's `_weight`). */
  weight?: Tensor;
}

export interface FromPretrainedOptions {
  /** Keep the rows fixed (no gradient). Default true. */
  freeze?: boolean;
  paddingIdx?: number | null;
}

/** A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialized N(0, 1), as `nn.Embedding`. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  /**
   * `nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, ...)`: `paddingIdx` by position too; PyTorch's
   * later positional arguments (max_norm, ...) are not supported and raise rather than bind to the wrong name.
   */
  constructor(numEmbeddings: number, embeddingDim: number, ...args: ArgsThenOptions<[paddingIdx: number | null], EmbeddingOptions>);
  /** The sizes by keyword too: `new nn.Embedding({ numEmbeddings: 10, embeddingDim: 3 })`, `new nn.Embedding(10, { embeddingDim: 3 })`. */
  constructor(numEmbeddings: number, options: EmbeddingOptions & { embeddingDim: number });
  constructor(options: EmbeddingOptions & { numEmbeddings: number; embeddingDim: number });
  constructor(...args: unknown[]) {
    super();
    const spec = { fn: 'Embedding.__init__', required: ['numEmbeddings', 'embeddingDim'], positional: ['paddingIdx'], keywordOnly: ['device', 'weight'] };
    const options = bindArgs<EmbeddingOptions & { numEmbeddings: number; embeddingDim: number }>(spec, args);
    const { numEmbeddings, embeddingDim } = options;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = normalizePaddingIdx(options.paddingIdx ?? null, numEmbeddings);
    if (options.weight) {
      if (options.weight.shape.join() !== `${numEmbeddings},${embeddingDim}`) {
        throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(options.weight);
    } else {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { device: options.device }));
      this.resetParameters();
    }
  }

  /** An embedding holding `embeddings` (`[numEmbeddings, embeddingDim]`), as `Embedding.from_pretrained`. */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    if (embeddings.ndim !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = embeddings.shape;
    const module = new Embedding(rows, cols, { paddingIdx: options.paddingIdx, weight: embeddings });
    module.weight.requiresGrad_(!(options.freeze ?? true));
    return module;
  }

  resetParameters(): void {
    resetEmbeddingRows(this.weight, this.paddingIdx);
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}

function normalizePaddingIdx(paddingIdx: number | null, numEmbeddings: number): number | null {
  if (paddingIdx === null) return null;
  if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) throw new RangeError('Padding_idx must be within num_embeddings');
  return paddingIdx < 0 ? numEmbeddings + paddingIdx : paddingIdx;
}

/** `reset_parameters` of Embedding and EmbeddingBag: N(0, 1) rows, the padding row zero. */
export function resetEmbeddingRows(weight: Tensor, paddingIdx: number | null): void {
  normal_(weight);
  if (paddingIdx !== null) {
    const row = weight.select(0, paddingIdx);
    noGrad(() => row.fill_(0));
  }
}
