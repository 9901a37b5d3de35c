import { bindArgs, ones, zeros, type ArgsThenOptions, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { layerNorm } from '../functional/normalization.js';
import { pyBool, pyFloat, pyTuple } from '../python-repr.js';

export interface LayerNormOptions {
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
  /** Learn a per-element scale (ones) and shift (zeros). Default true. */
  elementwiseAffine?: boolean;
  device?: DeviceLike;
}

/** Normalizes over the trailing `normalizedShape` dims of each sample, as `nn.LayerNorm`. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /** PyTorch's positional order: `new LayerNorm(512, 1e-6, false)` is eps 1e-6 without the affine parameters. */
  constructor(normalizedShape: number | readonly number[], ...args: ArgsThenOptions<[eps: number, elementwiseAffine: boolean, device: DeviceLike], LayerNormOptions>);
  /** `normalizedShape` by keyword too: `new nn.LayerNorm({ normalizedShape: [8] })`. */
  constructor(options: LayerNormOptions & { normalizedShape: number | readonly number[] });
  constructor(...args: unknown[]) {
    super();
    // A second argument used to be read as the options object: eps and elementwise_affine were dropped without a word.
    const spec = { fn: 'LayerNorm.__init__', required: ['normalizedShape'], positional: ['eps', 'elementwiseAffine', 'device'] };
    const options = bindArgs<LayerNormOptions & { normalizedShape: number | readonly number[] }>(spec, args);
    const normalizedShape = options.normalizedShape;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const device = options.device;
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { device })) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(this.normalizedShape, { device })) : null;
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
