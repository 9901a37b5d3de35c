import type { Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { interpolate, type InterpolateMode, type ScaleFactorArg, type SizeArg } from '../functional/interpolate.js';
import { pyFloat, pyTuple } from '../python-repr.js';

export interface UpsampleOptions {
  size?: SizeArg | null;
  scaleFactor?: ScaleFactorArg | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

/** After the class name: PyTorch's positional order, the options object, or both. */
export type UpsampleArgs = ArgsThenOptions<
  [size: SizeArg | null, scaleFactor: ScaleFactorArg | null, mode: InterpolateMode, alignCorners: boolean | null, recomputeScaleFactor: boolean | null],
  UpsampleOptions
>;

/** After the class name of the fixed-mode upsampling layers: `(size, scale_factor)`. */
type UpsamplingArgs = ArgsThenOptions<[size: SizeArg | null, scaleFactor: ScaleFactorArg | null], Pick<UpsampleOptions, 'size' | 'scaleFactor'>>;

/** Python's `str()` of the size or scale factor: `4`, `(4, 5)`, `2.0`, `(2.0, 3.0)`. */
const pyInts = (v: SizeArg): string => (typeof v === 'number' ? String(v) : pyTuple(v));
const pyFloats = (v: ScaleFactorArg): string =>
  typeof v === 'number' ? pyFloat(v) : v.length === 1 ? `(${pyFloat(v[0])},)` : `(${v.map(pyFloat).join(', ')})`;

/**
 * Up/down-samples `[N, C, *spatial]` input to `size` or by `scaleFactor` with `F.interpolate`, as
 * `nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None)`.
 */
export class Upsample extends Module {
  readonly size: SizeArg | null;
  readonly scaleFactor: ScaleFactorArg | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  constructor(...args: UpsampleArgs) {
    super();
    const o = bindArgs<UpsampleOptions>(
      { fn: this._getName(), required: 0, positional: ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] },
      args,
    );
    this.size = o.size ?? null;
    // PyTorch stores `float(scale_factor) if scale_factor else None`: a zero factor counts as none.
    this.scaleFactor = o.scaleFactor === 0 ? null : (o.scaleFactor ?? null);
    this.mode = o.mode ?? 'nearest';
    this.alignCorners = o.alignCorners ?? null;
    this.recomputeScaleFactor = o.recomputeScaleFactor ?? null;
  }

  override forward(input: Tensor): Tensor {
    const { size, scaleFactor, mode, alignCorners, recomputeScaleFactor } = this;
    return interpolate(input, { size, scaleFactor, mode, alignCorners, recomputeScaleFactor });
  }

  override extraRepr(): string {
    const info = this.scaleFactor !== null ? `scale_factor=${pyFloats(this.scaleFactor)}` : `size=${this.size === null ? 'None' : pyInts(this.size)}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** `nn.UpsamplingNearest2d(size=None, scale_factor=None)`: `Upsample` with mode 'nearest'. */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: UpsamplingArgs) {
    const o = bindArgs<UpsampleOptions>({ fn: 'UpsamplingNearest2d', required: 0, positional: ['size', 'scaleFactor'] }, args);
    super({ ...o, mode: 'nearest' });
  }
}

/** `nn.UpsamplingBilinear2d(size=None, scale_factor=None)`: `Upsample` with mode 'bilinear' and `alignCorners` true. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: UpsamplingArgs) {
    const o = bindArgs<UpsampleOptions>({ fn: 'UpsamplingBilinear2d', required: 0, positional: ['size', 'scaleFactor'] }, args);
    super({ ...o, mode: 'bilinear', alignCorners: true });
  }
}
