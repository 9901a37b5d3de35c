import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { localResponseNorm, type LocalResponseNormOptions } from '../functional/local-response-norm.js';
import { pyFloat } from '../python-repr.js';

/** `nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)`: normalization across neighbouring channels (AlexNet's). */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, alpha?: number, beta?: number, k?: number);
  constructor(size: number, options: LocalResponseNormOptions);
  constructor(options: LocalResponseNormOptions & { size: number });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<LocalResponseNormOptions & { size: number }>({ fn: 'LocalResponseNorm.__init__', required: ['size'], positional: ['alpha', 'beta', 'k'] }, args);
    this.size = o.size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
