import { where, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import type { InplaceOption } from './activation.js';
import { inplaceOf, maybeInPlace } from './inplace-write.js';
import { presentAs } from '@descent/tensor';

// Piecewise-linear activations, composed with `where` so each gradient is masked exactly where PyTorch's backward
// kernel masks it (strictly inside the linear part; a clamp's gradient would also pass at the corners).

export interface HardtanhOptions extends InplaceOption {
  minVal?: number;
  maxVal?: number;
}

export interface LambdOption {
  lambd?: number;
}

/** `x` strictly inside (lo, hi), `lo`/`hi` elsewhere; gradient 1 strictly inside only. */
function hardClamp(x: Tensor, lo: number, hi: number): Tensor {
  return where(x.le(lo), lo, where(x.ge(hi), hi, x));
}

/** As `F.hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False)`. */
export function hardtanh(
  input: Tensor,
  ...args: ArgsThenOptions<[minVal: number, maxVal: number, inplace: boolean], HardtanhOptions>
): Tensor {
  const o = bindArgs<HardtanhOptions>({ fn: 'hardtanh', required: 1, positional: ['minVal', 'maxVal', 'inplace'] }, args);
  const { minVal = -1, maxVal = 1 } = o;
  return maybeInPlace(input, o.inplace ?? false, (x) => presentAs(hardClamp(x, minVal, maxVal), 'HardtanhBackward0', [x]), 'HardtanhBackward0');
}

/** As `F.hardtanh_(input, min_val=-1.0, max_val=1.0)`. */
export function hardtanh_(input: Tensor, minVal = -1, maxVal = 1): Tensor {
  return hardtanh(input, minVal, maxVal, true);
}

/** `min(max(0, x), 6)`, as `F.relu6(input, inplace=False)`. */
export function relu6(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  return maybeInPlace(input, inplaceOf('relu6', 1, args), (x) => presentAs(hardClamp(x, 0, 6), 'HardtanhBackward0', [x]), 'HardtanhBackward0');
}

/** `relu6(x + 3) / 6`, as `F.hardsigmoid(input, inplace=False)`. */
export function hardsigmoid(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  const f = (x: Tensor) => presentAs(where(x.le(-3), 0, where(x.ge(3), 1, x.add(3).div(6))), 'HardsigmoidBackward0', [x]);
  return maybeInPlace(input, inplaceOf('hardsigmoid', 1, args), f, 'HardsigmoidBackward0');
}

/**
 * `x * relu6(x + 3) / 6`, as `F.hardswish(input, inplace=False)`. Here the clamp's inclusive gradient is PyTorch's:
 * its backward gives `x / 3 + 0.5` on all of [-3, 3].
 */
export function hardswish(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  const f = (x: Tensor) => presentAs(x.mul(x.add(3).clamp(0, 6)).div(6), 'HardswishBackward0', [x]);
  return maybeInPlace(input, inplaceOf('hardswish', 1, args), f, 'HardswishBackward0');
}

const lambdOf = (fn: string, args: readonly unknown[]): number =>
  bindArgs<LambdOption>({ fn, required: 1, positional: ['lambd'] }, args).lambd ?? 0.5;

/** `x - lambd` above `lambd`, `x + lambd` below `-lambd`, 0 between, as `F.softshrink(input, lambd=0.5)`. */
export function softshrink(input: Tensor, ...args: ArgsThenOptions<[lambd: number], LambdOption>): Tensor {
  const lambd = lambdOf('softshrink', args);
  if (lambd < 0) throw new RangeError(`lambda must be greater or equal to 0, but found to be ${lambd}.`);
  return presentAs(where(input.gt(lambd), input.sub(lambd), where(input.lt(-lambd), input.add(lambd), 0)), 'SoftshrinkBackward0', [input]);
}

/** `x` where `|x| > lambd`, else 0, as `F.hardshrink(input, lambd=0.5)`. */
export function hardshrink(input: Tensor, ...args: ArgsThenOptions<[lambd: number], LambdOption>): Tensor {
  const lambd = lambdOf('hardshrink', args);
  return presentAs(where(input.ge(-lambd).logicalAnd(input.le(lambd)), 0, input), 'HardshrinkBackward0', [input]);
}

/** `x - tanh(x)`, as `F.tanhshrink`. */
export function tanhshrink(input: Tensor): Tensor {
  return input.sub(input.tanh());
}

/** `x / (1 + |x|)`, as `F.softsign`. */
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}

/** `x` above `threshold`, else `value`, as `F.threshold(input, threshold, value, inplace=False)`. */
export function threshold(
  input: Tensor,
  threshold: number,
  value: number,
  ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>
): Tensor {
  const f = (x: Tensor) => presentAs(where(x.gt(threshold), x, value), 'ThresholdBackward0', [x]);
  return maybeInPlace(input, inplaceOf('threshold', 3, args), f, 'ThresholdBackward1');
}

export function threshold_(input: Tensor, thresholdValue: number, value: number): Tensor {
  return threshold(input, thresholdValue, value, true);
}
