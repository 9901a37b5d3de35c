import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { warnOnce } from '../py-warnings.js';
import { interpolate, type InterpolateMode, type ScaleFactorArg, type SizeArg } from './interpolate.js';

/** `F.upsample`'s arguments after the input, by keyword. */
export interface UpsampleFunctionalOptions {
  size?: SizeArg | null;
  scaleFactor?: ScaleFactorArg | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
}

/**
 * `F.upsample(input, size=None, scale_factor=None, mode='nearest', align_corners=None)`: PyTorch's deprecated name
 * for `F.interpolate`, with its deprecation warning.
 */
export function upsample(
  input: Tensor,
  ...args: ArgsThenOptions<[size: SizeArg | null, scaleFactor: ScaleFactorArg | null, mode: InterpolateMode, alignCorners: boolean | null], UpsampleFunctionalOptions>
): Tensor {
  const o = bindArgs<UpsampleFunctionalOptions>({ fn: 'upsample', required: 1, positional: ['size', 'scaleFactor', 'mode', 'alignCorners'] }, args);
  warnOnce('nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.');
  return interpolate(input, { size: o.size, scaleFactor: o.scaleFactor, mode: o.mode, alignCorners: o.alignCorners });
}
