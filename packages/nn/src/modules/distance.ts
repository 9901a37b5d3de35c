import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import {
  cosineSimilarity,
  pairwiseDistance,
  type CosineSimilarityOptions,
  type PairwiseDistanceOptions,
} from '../functional/distance.js';

/** Cosine similarity along `dim`, as `nn.CosineSimilarity(dim=1, eps=1e-08)`. */
export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;

  constructor(...args: ArgsThenOptions<[dim: number, eps: number], CosineSimilarityOptions>) {
    super();
    const o = bindArgs<CosineSimilarityOptions>({ fn: 'CosineSimilarity', required: 0, positional: ['dim', 'eps'] }, args);
    this.dim = o.dim ?? 1;
    this.eps = o.eps ?? 1e-8;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

/** The p-norm distance between rows, as `nn.PairwiseDistance(p=2.0, eps=1e-06, keepdim=False)`. */
export class PairwiseDistance extends Module {
  readonly norm: number;
  readonly eps: number;
  readonly keepdim: boolean;

  constructor(...args: ArgsThenOptions<[p: number, eps: number, keepdim: boolean], PairwiseDistanceOptions>) {
    super();
    const o = bindArgs<PairwiseDistanceOptions>({ fn: 'PairwiseDistance', required: 0, positional: ['p', 'eps', 'keepdim'] }, args);
    this.norm = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.keepdim = o.keepdim ?? false;
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}
