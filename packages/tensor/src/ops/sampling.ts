import { isFloating } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { defaultGenerator } from '../random/generator.js';
import { Tensor } from '../tensor.js';
import { fromHost, rand, randint, randn, zeros, type RandomOptions } from './creation.js';
import { broadcastShapes } from '../shape.js';
import { bernoulli as bernoulliScalar, normal as normalFill } from './inplace.js';

// torch.normal, bernoulli, poisson and randint_like, drawing PyTorch's CPU stream in PyTorch's order: normal with
// tensor arguments is `normal_(0, 1)` (or `normal_(0, std)`) then `mul_(std).add_(mean)`, and bernoulli with a
// tensor of probabilities takes one uniform per element (24 bits for float32 p, 53 for float64), i.e. `rand < p`.

interface GeneratorOnly {
  generator?: RandomOptions['generator'];
}

/** `torch.normal`'s float form with `size` by keyword, beside the creation options. */
export interface NormalSizeOptions extends RandomOptions {
  size: readonly number[];
}

function checkStd(std: Tensor): void {
  if (std.device.supports('readSync') && !Number(std.ge(0).all().item())) {
    throw new RangeError('normal expects all elements of std >= 0.0');
  }
}

/** `torch.normal(mean, std)`: one sample per broadcast element, each from `N(mean, std)`. */
export function normal(mean: Tensor, std: Tensor | number, options?: GeneratorOnly): Tensor;
export function normal(mean: number, std: Tensor, options?: GeneratorOnly): Tensor;
/** `torch.normal(mean, std, size)`: `size` samples of `N(mean, std)`. */
export function normal(mean: number, std: number, size: readonly number[], options?: RandomOptions): Tensor;
/** `torch.normal(0.0, 0.01, size=(5, 1), requires_grad=True)`: the size by keyword, with the other options. */
export function normal(mean: number, std: number, options: NormalSizeOptions): Tensor;
/** `torch.normal(mean=0.0, std=0.01, size=(5, 1))`, every argument by keyword (d2l's train_ch11). */
export function normal(options: NormalSizeOptions & { mean: number; std?: number }): Tensor;
export function normal(
  mean: Tensor | number | (NormalSizeOptions & { mean: number; std?: number }),
  std: Tensor | number = 1,
  size?: readonly number[] | GeneratorOnly | NormalSizeOptions,
  opts?: RandomOptions,
): Tensor {
  if (!(mean instanceof Tensor) && typeof mean === 'object') {
    const { mean: m, std: s = 1, size: sz, ...rest } = mean;
    return normal(m, s, { size: sz, ...rest });
  }
  if (!(mean instanceof Tensor) && !(std instanceof Tensor) && size !== undefined && !Array.isArray(size) && 'size' in size) {
    const { size: sz, ...rest } = size as NormalSizeOptions;
    if (opts !== undefined) throw new TypeError('normal(): the options object must be the last argument');
    return normal(mean, std, sz, rest);
  }
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (!Array.isArray(size)) throw new TypeError('normal() with float mean and std needs a size: torch.normal(mean, std, [sizes])');
    const options = opts ?? {};
    checkOptionKeys('normal', options, ['dtype', 'device', 'requiresGrad', 'generator']);
    const out = zeros(size, { dtype: options.dtype, device: options.device });
    normalFill(out, mean, std, { generator: options.generator });
    return options.requiresGrad ? out.requiresGrad_(true) : out;
  }
  const options = (size as GeneratorOnly | undefined) ?? {};
  checkOptionKeys('normal', options, ['generator']);
  const like = mean instanceof Tensor ? mean : (std as Tensor);
  const shape = mean instanceof Tensor && std instanceof Tensor ? broadcastShapes(mean.shape, std.shape) : like.shape;
  const eps = randn(shape, { dtype: like.dtype, device: like.device, generator: options.generator });
  if (std instanceof Tensor) {
    checkStd(std);
    return eps.mul(std).add(mean);
  }
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  // normal_(0, std) then add_(mean): PyTorch scales in the kernel (float32 fma), here one multiply, then the add.
  return eps.mul(std).add(mean);
}

/**
 * `torch.bernoulli(input, p=None)`: 0/1 draws with probabilities `input` (same shape and dtype), or, with `p`, with
 * probability `p` everywhere (PyTorch's scalar kernel).
 */
export function bernoulli(input: Tensor, p?: number | GeneratorOnly, opts: GeneratorOnly = {}): Tensor {
  const options = typeof p === 'object' ? p : opts;
  checkOptionKeys('bernoulli', options, ['generator']);
  if (!isFloating(input.dtype)) throw new TypeError(`"bernoulli_tensor_cpu_p_" not implemented for '${input.dtype}'`);
  if (typeof p === 'number') return bernoulliScalar(input.detach().mul(0), p, options);
  return bernoulliFrom(input, input.shape, options);
}

/** `rand < p` with p's dtype choosing the uniform's width, as `bernoulli_(p_tensor)` draws. */
export function bernoulliFrom(p: Tensor, shape: readonly number[], options: GeneratorOnly): Tensor {
  if (p.device.supports('readSync') && !Number(p.ge(0).logicalAnd(p.le(1)).all().item())) {
    throw new RangeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.');
  }
  const dtype = p.dtype === 'float64' ? 'float64' : 'float32';
  return rand(shape, { dtype, device: p.device, generator: options.generator }).lt(p.detach()).to(p.dtype);
}

/** `torch.poisson(rates)`: a Poisson draw per element (PyTorch's sampler, element by element); no gradient. */
export function poisson(rates: Tensor, options: GeneratorOnly = {}): Tensor {
  checkOptionKeys('poisson', options, ['generator']);
  if (!rates.device.supports('readSync')) {
    throw new Error(`poisson needs the rates on the host, and '${rates.device}' tensors are read asynchronously: move them to the CPU first`);
  }
  const gen = options.generator ?? defaultGenerator;
  const values = gen.poisson(Array.from(rates.contiguous().dataSync() as ArrayLike<number>, Number));
  const host = rates.dtype === 'float64' ? values : Float32Array.from(values);
  return fromHost(host, rates.shape, rates.dtype, { device: rates.device });
}

/** `torch.randint_like(x, high)` or `torch.randint_like(x, low, high)`: x's shape, dtype and device. */
export function randintLike(x: Tensor, low: number, high?: number | RandomOptions, opts: RandomOptions = {}): Tensor {
  const [lo, hi, options] = typeof high === 'number' ? [low, high, opts] : [0, low, high ?? {}];
  return randint(lo, hi, x.shape, { dtype: x.dtype, device: x.device, ...options });
}
