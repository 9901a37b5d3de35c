import { presentAs, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { relu } from './activation.js';
import { perDim, type IntOrTuple } from './conv-args.js';
import { avgPool1d, avgPool2d } from './pooling.js';

export interface LpPoolOptions {
  stride?: IntOrTuple | null;
  ceilMode?: boolean;
}

/** The LP pools' required arguments, which PyTorch also takes by keyword: `F.lp_pool2d(x, norm_type=2, kernel_size=3)`. */
export interface LpPoolSizes {
  normType: number;
  kernelSize: IntOrTuple;
}

type LpPoolArgs = [stride: IntOrTuple | null, ceilMode: boolean];

/**
 * PyTorch's composition, op for op so values and gradients follow its: the average of `x^p` over each window (no
 * padding), as `sign(out) * relu(|out|)`, times the kernel's size, to the `1/p`.
 */
function lpPoolNd(fn: string, dims: 1 | 2, input: Tensor, args: unknown[]): Tensor {
  const o = bindArgs<LpPoolSizes & LpPoolOptions>({ fn, required: ['normType', 'kernelSize'], positional: ['stride', 'ceilMode'] }, args);
  const kernel = perDim('kernel_size', o.kernelSize, dims, 'pooling');
  const options = { stride: o.stride ?? null, padding: 0, ceilMode: o.ceilMode ?? false };
  const powered = input.pow(o.normType);
  const out = dims === 1 ? avgPool1d(powered, o.kernelSize, options) : avgPool2d(powered, o.kernelSize, options);
  const size = kernel.reduce((a, b) => a * b, 1);
  return presentAs(out.sign().mul(relu(out.abs())).mul(size).pow(1 / o.normType), 'PowBackward0', [input]);
}

/** As `F.lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False)`. */
export function lpPool1d(input: Tensor, normType: number, kernelSize: IntOrTuple, ...args: ArgsThenOptions<LpPoolArgs, LpPoolOptions>): Tensor;
/** The sizes by keyword too: `F.lpPool1d(x, { normType: 2, kernelSize: 3 })`. */
export function lpPool1d(input: Tensor, options: LpPoolOptions & LpPoolSizes): Tensor;
export function lpPool1d(input: Tensor, ...args: unknown[]): Tensor {
  return lpPoolNd('lp_pool1d', 1, input, args);
}

/** As `F.lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False)`. */
export function lpPool2d(input: Tensor, normType: number, kernelSize: IntOrTuple, ...args: ArgsThenOptions<LpPoolArgs, LpPoolOptions>): Tensor;
/** The sizes by keyword too: `F.lpPool2d(x, { normType: 2, kernelSize: 3 })`. */
export function lpPool2d(input: Tensor, options: LpPoolOptions & LpPoolSizes): Tensor;
export function lpPool2d(input: Tensor, ...args: unknown[]): Tensor {
  return lpPoolNd('lp_pool2d', 2, input, args);
}
