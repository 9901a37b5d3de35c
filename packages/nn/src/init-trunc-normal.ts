// nn.init.trunc_normal_: PyTorch's inverse-CDF method, drawing one uniform per element from the seeded stream.
import { bindArgs, empty, noGrad, tensor as fromValues, type ArgsThenOptions, type Generator, type Tensor } from '@descent/tensor';

// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf in float64: `2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1))`, a series of positive terms (no
 * cancellation); past |x| = 6 erf is +-1 to double precision.
 */
export function erf(x: number): number {
  if (Math.abs(x) > 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/** erf's inverse on (-1, 1): PyTorch's rational first guess (calc_erfinv), then Newton steps in float64. */
export function erfinv(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return Math.sign(y) * Infinity;
  let x: number;
  if (ya <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ya) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (Math.sign(y) * num) / dem;
  }
  for (let i = 0; i < 3; i++) x -= (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
  return x;
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

/** `trunc_normal_`'s numbers by keyword (`truncNormal_(w, { std: 0.02 })`, as timm writes it). */
export interface TruncNormalOptions {
  mean?: number;
  std?: number;
  a?: number;
  b?: number;
  generator?: Generator;
}

/**
 * Fills `tensor` with values from N(mean, std^2) truncated to [a, b], as `nn.init.trunc_normal_(tensor, mean=0.,
 * std=1., a=-2., b=2.)`: a uniform draw between the CDF's values at a and b, mapped back through erfinv, then
 * scaled, shifted and clamped in the tensor's dtype as PyTorch does. The same seed gives PyTorch's values to
 * float32 rounding (erfinv runs in float64 here).
 */
export function truncNormal_(tensor: Tensor, ...args: ArgsThenOptions<[mean: number, std: number, a: number, b: number], TruncNormalOptions>): Tensor {
  const spec = { fn: 'trunc_normal_', required: 1, positional: ['mean', 'std', 'a', 'b'], keywordOnly: ['generator'] };
  const { mean = 0, std = 1, a = -2, b = 2, ...options } = bindArgs<TruncNormalOptions>(spec, args);
  if (mean < a - 2 * std || mean > b + 2 * std) {
    console.warn('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.');
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  const drawn = empty(tensor.shape, { dtype: tensor.dtype }).uniform_(2 * l - 1, 2 * u - 1, options);
  const inverted = Array.from(drawn.dataSync() as Float32Array, (v) => erfinv(Number(v)));
  return noGrad(() => {
    const scaled = fromValues(inverted, { dtype: tensor.dtype }).reshape(tensor.shape).mul(std * Math.SQRT2).add(mean).clamp(a, b);
    return tensor.copy_(scaled);
  });
}
