/**
 * Per-element samplers of `torch.poisson` and `Tensor.geometric_` (ATen 1.13, CPU,
 * `cpu_serial_kernel`: one element after another from the generator's stream).
 */

import { checkNumel, uniformDouble } from './draws.js';
import type { MT19937 } from './mt19937.js';

/** `lgamma` for the Poisson rejection test (Lanczos, g = 7): within a few ulp of libm, which only matters at ties. */
function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** `sample_poisson(lambda, generator)` (Distributions.cpp): Hoermann's PTRS for lambda >= 10, else multiplied uniforms. */
function samplePoisson(engine: MT19937, lambda: number): number {
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = uniformDouble(engine) - 0.5;
      const V = uniformDouble(engine);
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1)) return k;
    }
  }
  if (lambda === 0) return 0;
  const enlam = Math.exp(-lambda);
  let x = 0;
  let prod = 1.0;
  for (;;) {
    prod *= uniformDouble(engine);
    if (prod > enlam) x += 1;
    else return x;
  }
}

export function samplePoissonEach(engine: MT19937, rates: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rates.length);
  for (let i = 0; i < rates.length; i++) {
    if (!(rates[i] >= 0)) throw new RangeError('invalid Poisson rate, expected rate to be non-negative');
    out[i] = samplePoisson(engine, rates[i]);
  }
  return out;
}

/** `geometric_distribution<double>(p)`: `ceil(log(u) / log1p(-p))` from one 53-bit uniform. */
export function sampleGeometric(engine: MT19937, numel: number, p: number): Float64Array {
  checkNumel(numel);
  if (!(p > 0 && p < 1)) throw new RangeError(`geometric_ expects p to be in (0, 1), but got p=${p}`);
  const out = new Float64Array(numel);
  const denominator = Math.log1p(-p);
  for (let i = 0; i < numel; i++) out[i] = Math.ceil(Math.log(uniformDouble(engine)) / denominator);
  return out;
}

/** `cauchy_distribution<double>(median, sigma)`: `median + sigma * tan(pi * (u - 0.5))` from one 53-bit uniform. */
export function sampleCauchy(engine: MT19937, numel: number, median: number, sigma: number): Float64Array {
  checkNumel(numel);
  const out = new Float64Array(numel);
  for (let i = 0; i < numel; i++) out[i] = median + sigma * Math.tan(Math.PI * (uniformDouble(engine) - 0.5));
  return out;
}

/** `x.random_()` per dtype: `uniform_int_distribution` reduces one draw (two for 64-bit types) modulo the type's range. */
export type RandomBitsKind = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

const RANDOM_MODULUS: Record<Exclude<RandomBitsKind, 'float64' | 'int64' | 'bool'>, number> = {
  float32: 2 ** 24 + 1,
  int32: 2 ** 31,
  int16: 2 ** 15,
  int8: 2 ** 7,
  uint8: 2 ** 8,
};

export function sampleRandomBits(engine: MT19937, numel: number, kind: RandomBitsKind): Float64Array | BigInt64Array {
  checkNumel(numel);
  if (kind === 'int64' || kind === 'float64') {
    const modulus = kind === 'int64' ? 2n ** 63n : 2n ** 53n + 1n;
    const out = kind === 'int64' ? new BigInt64Array(numel) : new Float64Array(numel);
    for (let i = 0; i < numel; i++) {
      const hi = BigInt(engine.nextUint32());
      const v = ((hi << 32n) | BigInt(engine.nextUint32())) % modulus;
      out[i] = (kind === 'int64' ? v : Number(v)) as never;
    }
    return out;
  }
  const out = new Float64Array(numel);
  for (let i = 0; i < numel; i++) {
    const r = engine.nextUint32();
    out[i] = kind === 'bool' ? r & 1 : r % RANDOM_MODULUS[kind];
  }
  return out;
}
