// torch.nn.init: in-place initializers that run without recording gradients and draw from the PyTorch-exact
// generator (the default one unless `generator` is given), so the same seed gives PyTorch's values.
import { bindArgs, eye, noGrad, type ArgsThenOptions, type Generator, type Tensor } from '@descent/tensor';

export interface GeneratorOption {
  generator?: Generator;
}

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

export type FanMode = 'fan_in' | 'fan_out';

const LINEAR_FNS = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']);

/** The recommended gain for a nonlinearity (`param` is leaky_relu's negative slope, 0.01 when omitted). */
export function calculateGain(nonlinearity: Nonlinearity, param: number | null = null): number {
  if (LINEAR_FNS.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    if (param !== null && (typeof param !== 'number' || Number.isNaN(param))) {
      throw new TypeError(`negative_slope ${String(param)} not a valid number`);
    }
    const negativeSlope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + negativeSlope ** 2));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/** `(fanIn, fanOut)` of a weight laid out as PyTorch's: `[out, in, ...kernel]`. */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  }
  const receptiveField = tensor.shape.slice(2).reduce((n, s) => n * s, 1);
  return [tensor.shape[1] * receptiveField, tensor.shape[0] * receptiveField];
}

function correctFan(tensor: Tensor, mode: FanMode): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw new Error(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return mode === 'fan_in' ? fanIn : fanOut;
}

// PyTorch's initializers take their numbers by position or by keyword (`nn.init.normal_(w, std=0.01)`, as d2l
// writes everywhere): here positionally, then an options object with the rest and the generator.
export interface UniformOptions extends GeneratorOption {
  a?: number;
  b?: number;
}

export interface NormalOptions extends GeneratorOption {
  mean?: number;
  std?: number;
}

export interface GainOptions extends GeneratorOption {
  gain?: number;
}

const GENERATOR = ['generator'];

/** Fills with values drawn uniformly from [a, b): `uniform_(w, -0.1, 0.1)` or `uniform_(w, { a: -0.1, b: 0.1 })`. */
export function uniform_(tensor: Tensor, ...args: ArgsThenOptions<[a: number, b: number], UniformOptions>): Tensor {
  const { a = 0, b = 1, generator } = bindArgs<UniformOptions>({ fn: 'uniform_', required: 1, positional: ['a', 'b'], keywordOnly: GENERATOR }, args);
  return noGrad(() => tensor.uniform_(a, b, { generator }));
}

/** Fills with values drawn from N(mean, std^2): `normal_(w, 0, 0.01)` or `normal_(w, { std: 0.01 })`. */
export function normal_(tensor: Tensor, ...args: ArgsThenOptions<[mean: number, std: number], NormalOptions>): Tensor {
  const { mean = 0, std = 1, generator } = bindArgs<NormalOptions>({ fn: 'normal_', required: 1, positional: ['mean', 'std'], keywordOnly: GENERATOR }, args);
  return noGrad(() => tensor.normal_(mean, std, { generator }));
}

/** Fills with `val`: `constant_(w, 0.5)` or `constant_(w, { val: 0.5 })`. */
export function constant_(tensor: Tensor, ...args: [val: number] | [options: { val: number }]): Tensor {
  const { val } = bindArgs<{ val: number }>({ fn: 'constant_', required: ['val'], positional: [] }, args);
  return noGrad(() => tensor.fill_(val));
}

export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}

export function zeros_(tensor: Tensor): Tensor {
  return constant_(tensor, 0);
}

/** The identity matrix, for a 2-D tensor. */
export function eye_(tensor: Tensor): Tensor {
  if (tensor.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  return noGrad(() => tensor.copy_(eye(tensor.shape[0], tensor.shape[1])));
}

/** Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform_(tensor: Tensor, ...args: ArgsThenOptions<[gain: number], GainOptions>): Tensor {
  const { gain = 1, generator } = bindArgs<GainOptions>({ fn: 'xavier_uniform_', required: 1, positional: ['gain'], keywordOnly: GENERATOR }, args);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a, { generator });
}

/** Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(tensor: Tensor, ...args: ArgsThenOptions<[gain: number], GainOptions>): Tensor {
  const { gain = 1, generator } = bindArgs<GainOptions>({ fn: 'xavier_normal_', required: 1, positional: ['gain'], keywordOnly: GENERATOR }, args);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0, std, { generator });
}

export interface KaimingOptions extends GeneratorOption {
  /** The negative slope of the rectifier after this layer (leaky_relu only). Default 0. */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingArgs(
  a: number | KaimingOptions,
  mode: FanMode,
  nonlinearity: Nonlinearity,
  options: GeneratorOption,
): Required<Omit<KaimingOptions, 'generator'>> & GeneratorOption {
  if (typeof a === 'object') return { a: a.a ?? 0, mode: a.mode ?? 'fan_in', nonlinearity: a.nonlinearity ?? 'leaky_relu', generator: a.generator };
  return { a, mode, nonlinearity, generator: options.generator };
}

/**
 * He uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan). PyTorch's order of arguments
 * (`kaimingUniform_(w, Math.sqrt(5))`), or an options object (`kaimingUniform_(w, { nonlinearity: 'relu' })`).
 */
export function kaimingUniform_(
  tensor: Tensor,
  a: number | KaimingOptions = 0,
  mode: FanMode = 'fan_in',
  nonlinearity: Nonlinearity = 'leaky_relu',
  options: GeneratorOption = {},
): Tensor {
  const args = kaimingArgs(a, mode, nonlinearity, options);
  if (tensor.shape.includes(0)) return tensor; // PyTorch: initializing zero-element tensors is a no-op
  const std = calculateGain(args.nonlinearity, args.a) / Math.sqrt(correctFan(tensor, args.mode));
  const bound = Math.sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound, { generator: args.generator });
}

/** He normal: N(0, std^2) with std = gain / sqrt(fan). Arguments as `kaimingUniform_`. */
export function kaimingNormal_(
  tensor: Tensor,
  a: number | KaimingOptions = 0,
  mode: FanMode = 'fan_in',
  nonlinearity: Nonlinearity = 'leaky_relu',
  options: GeneratorOption = {},
): Tensor {
  const args = kaimingArgs(a, mode, nonlinearity, options);
  if (tensor.shape.includes(0)) return tensor;
  const std = calculateGain(args.nonlinearity, args.a) / Math.sqrt(correctFan(tensor, args.mode));
  return normal_(tensor, 0, std, { generator: args.generator });
}

export { orthogonal_, dirac_ } from './init-structured.js';
export { truncNormal_ } from './init-trunc-normal.js';
