import * as torch from '@descent/tensor';
import { defaultGenerator, fromArray, presentAs, type Generator, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';

export interface RreluOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
  inplace?: boolean;
  /** Descent's: the generator the training slopes are drawn from (PyTorch draws from the global one). */
  generator?: Generator;
}

type RreluArgs = ArgsThenOptions<[lower: number, upper: number, training: boolean, inplace: boolean], RreluOptions>;

/**
 * ATen's `_rrelu_with_noise_train`: element by element, in order, each non-positive input draws its slope from
 * `uniform_real_distribution<double>(lower, upper)` (one `random64()`), with the bounds as float32 and the slope
 * rounded to float32; positive inputs draw nothing and keep slope 1. The slopes are the gradient's multiplier too.
 */
function drawSlopes(input: Tensor, lower: number, upper: number, generator: Generator): Float32Array {
  if (!input.device.supports('readSync')) {
    throw new Error(`rrelu: training draws a slope for each non-positive element, which needs the input's values; ${input.device.type} cannot be read synchronously. Run it on the CPU.`);
  }
  const values = input.dataSync();
  const [from, to] = [Math.fround(lower), Math.fround(upper)];
  const slopes = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) slopes[i] = Number(values[i]) <= 0 ? Math.fround(generator.uniformDouble() * (to - from) + from) : 1;
  return slopes;
}

function rreluImpl(fn: string, input: Tensor, args: readonly unknown[], inplaceDefault: boolean): Tensor {
  const o = bindArgs<RreluOptions>({ fn, required: 1, positional: ['lower', 'upper', 'training', 'inplace'], keywordOnly: ['generator'] }, args);
  const { lower = 1 / 8, upper = 1 / 3, training = false, inplace = inplaceDefault } = o;
  let out: Tensor;
  if (training) {
    const slopes = fromArray(drawSlopes(input, lower, upper, o.generator ?? defaultGenerator), input.shape, { device: input.device });
    out = inplace ? input.mul_(slopes) : input.mul(slopes);
  } else {
    // Evaluation is a leaky ReLU with the mean slope, as PyTorch's.
    const slope = (lower + upper) / 2;
    out = inplace ? torch.leakyRelu_(input, slope) : torch.leakyRelu(input, slope);
  }
  return inplace ? out : presentAs(out, 'RreluWithNoiseBackward0', [input]);
}

/**
 * Randomized leaky ReLU, as `F.rrelu(input, lower=1/8, upper=1/3, training=False, inplace=False)`: in training each
 * non-positive element gets a slope drawn from U(lower, upper) (PyTorch's draws for the same seed), else the slope
 * is `(lower + upper) / 2`.
 */
export function rrelu(input: Tensor, ...args: RreluArgs): Tensor {
  return rreluImpl('rrelu', input, args, false);
}

/** In place, as `F.rrelu_(input, lower=1/8, upper=1/3, training=False)`. */
export function rrelu_(input: Tensor, ...args: ArgsThenOptions<[lower: number, upper: number, training: boolean], Omit<RreluOptions, 'inplace'>>): Tensor {
  return rreluImpl('rrelu_', input, args, true);
}
