import type { DType } from '@descent/backend';
import { bindArgs, type ArgsThenOptions } from '../call-args.js';
import { defaultFloatDType, isFloating } from '../dtype.js';
import type { DeviceLike } from '../device.js';
import type { Tensor } from '../tensor.js';
import { arange, full } from './creation.js';
import { i0 } from './bessel.js';
import { cat } from './indexing.js';

// The window functions of torch.signal's predecessors (torch.hann_window, ...), computed as PyTorch computes them:
// from arange in the window's dtype, a periodic window being the symmetric one of length N + 1 without its last point.

export interface WindowOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

interface WindowArgs extends WindowOptions {
  periodic?: boolean;
  alpha?: number;
  beta?: number;
}

/** The window's float dtype and the points 0..M-1 of the symmetric window it is cut from, or a trivial window. */
function windowSetup(name: string, length: number, options: WindowArgs): { points: Tensor | null; trivial: Tensor | null; m: number } {
  const dtype = options.dtype ?? defaultFloatDType();
  if (!isFloating(dtype)) {
    throw new TypeError(`${name} expects floating point dtypes, got: TensorOptions(dtype=${dtype === 'int64' ? 'long int' : dtype}, device=cpu, layout=Strided (default), requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))`);
  }
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`${name} requires non-negative window_length, got window_length=${length}`);
  const creation = { dtype, device: options.device };
  if (length <= 1) return { points: null, trivial: full([length], 1, creation), m: length };
  const m = (options.periodic ?? true) ? length + 1 : length;
  return { points: arange(m, creation), trivial: null, m };
}

function finish(window: Tensor, length: number, options: WindowArgs): Tensor {
  const out = window.shape[0] === length ? window : window.narrow(0, 0, length);
  return options.requiresGrad ? out.contiguous().requiresGrad_() : out.contiguous();
}

const SPEC = { required: 1, keywordOnly: ['dtype', 'device', 'requiresGrad'] } as const;

/** `torch.hamming_window(N, periodic=True, alpha=0.54, beta=0.46)`: `alpha - beta cos(2 pi n / (M - 1))`. */
export function hammingWindow(length: number, ...args: ArgsThenOptions<[periodic: boolean, alpha: number, beta: number], WindowArgs>): Tensor {
  const options = bindArgs<WindowArgs>({ fn: 'hamming_window', ...SPEC, positional: ['periodic', 'alpha', 'beta'] }, args);
  return hamming('hamming_window', length, options, options.alpha ?? 0.54, options.beta ?? 0.46);
}

function hamming(name: string, length: number, options: WindowArgs, alpha: number, beta: number): Tensor {
  const { points, trivial, m } = windowSetup(name, length, options);
  if (trivial) return finish(trivial, length, options);
  return finish((points as Tensor).mul((2 * Math.PI) / (m - 1)).cos().mul(-beta).add(alpha), length, options);
}

/** `torch.hann_window(N, periodic=True)`: the Hamming window with alpha = beta = 1/2. */
export function hannWindow(length: number, ...args: ArgsThenOptions<[periodic: boolean], WindowArgs>): Tensor {
  const options = bindArgs<WindowArgs>({ fn: 'hann_window', ...SPEC, positional: ['periodic'] }, args);
  return hamming('hann_window', length, options, 0.5, 0.5);
}

/** `torch.blackman_window(N, periodic=True)`: `0.42 - 0.5 cos(2 pi n / (M - 1)) + 0.08 cos(4 pi n / (M - 1))`. */
export function blackmanWindow(length: number, ...args: ArgsThenOptions<[periodic: boolean], WindowArgs>): Tensor {
  const options = bindArgs<WindowArgs>({ fn: 'blackman_window', ...SPEC, positional: ['periodic'] }, args);
  const { points, trivial, m } = windowSetup('blackman_window', length, options);
  if (trivial) return finish(trivial, length, options);
  const w = (points as Tensor).mul(Math.PI / (m - 1));
  return finish(w.mul(4).cos().mul(0.08).sub(w.mul(2).cos().mul(0.5)).add(0.42), length, options);
}

/** `torch.bartlett_window(N, periodic=True)`: the triangle `2n / (M - 1)`, mirrored as `2 - 2n / (M - 1)` past the middle. */
export function bartlettWindow(length: number, ...args: ArgsThenOptions<[periodic: boolean], WindowArgs>): Tensor {
  const options = bindArgs<WindowArgs>({ fn: 'bartlett_window', ...SPEC, positional: ['periodic'] }, args);
  const { points, trivial, m } = windowSetup('bartlett_window', length, options);
  if (trivial) return finish(trivial, length, options);
  const rise = (points as Tensor).mul(2 / (m - 1));
  const half = ((m - 1) >> 1) + 1;
  return finish(cat([rise.narrow(0, 0, half), rise.narrow(0, half, m - half).neg().add(2)], 0), length, options);
}

/** `torch.kaiser_window(N, periodic=True, beta=12.0)`: `I0(beta sqrt(1 - ((n - c) / c)^2)) / I0(beta)`, c = (M - 1) / 2. */
export function kaiserWindow(length: number, ...args: ArgsThenOptions<[periodic: boolean, beta: number], WindowArgs>): Tensor {
  const options = bindArgs<WindowArgs>({ fn: 'kaiser_window', ...SPEC, positional: ['periodic', 'beta'] }, args);
  const beta = options.beta ?? 12.0;
  const { points, trivial, m } = windowSetup('kaiser_window', length, options);
  if (trivial) return finish(trivial, length, options);
  const c = (m - 1) / 2;
  const ratio = (points as Tensor).sub(c).div(c);
  const window = i0(ratio.square().neg().add(1).sqrt().mul(beta)).div(i0(full([], beta, { dtype: ratio.dtype, device: ratio.device })));
  return finish(window, length, options);
}
