/**
 * PyTorch-exact CPU random number generation (PyTorch 1.13 `CPUGeneratorImpl`).
 *
 * Every sampler returns exactly the values PyTorch writes into a contiguous CPU tensor of
 * `numel` elements (float32 unless stated otherwise), and advances the engine by exactly the
 * same number of draws, so streams stay in sync across calls. See ./README.md for the ATen
 * code paths that are reproduced and how to follow a future PyTorch change.
 *
 * No dependency on any Tensor class: samplers take an element count and return TypedArrays.
 */

import { sampleBernoulli, sampleDropoutMask } from './bernoulli.js';
import { TWO_POW_32, checkNumel, uniformDouble } from './draws.js';
import { sampleRandint, sampleRandperm } from './integers.js';
import { MT19937, toUint64Seed } from './mt19937.js';
import { fillNormalVectorized } from './normal.js';
import type { NormalKernel } from './normal-kernels.js';
import { decodeState, encodeState } from './state.js';
import { sampleUniform } from './uniform.js';
import { fillNormal64, sampleUniform64 } from './float64.js';
import { sampleCauchy, sampleGeometric, samplePoissonEach, sampleRandomBits, type RandomBitsKind } from './distributions.js';

export { fmaf } from './float32.js';
export { avx2BoxMuller, type NormalKernel } from './normal-kernels.js';
export { GENERATOR_STATE_SIZE, LEGACY_GENERATOR_STATE_SIZE } from './state.js';

export interface GeneratorOptions {
  /** See {@link NormalKernel}. Defaults to `'avx2'`. */
  normalKernel?: NormalKernel;
}

/**
 * `c10::default_rng_seed_val`: the seed of a freshly constructed `torch.Generator()`.
 * (PyTorch's own process-wide default CPU generator is seeded non-deterministically at start-up;
 * we seed ours with this constant so that programs are reproducible without a manualSeed call.)
 */
export const DEFAULT_RNG_SEED = 67280421310721n;

export class Generator {
  /** As Python prints a generator (`<torch._C.Generator object at 0x...>`), not its 624-word state. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '<torch.Generator object>';
  }

  /** The mt19937 engine (exposed for advanced use; mutate at your own risk). */
  readonly engine: MT19937;
  /** Which normal kernel variant to reproduce; see {@link NormalKernel}. */
  normalKernel: NormalKernel;
  /** `next_double_normal_sample_`: second Box-Muller sample cached by the scalar normal path. */
  private nextDoubleNormal: number | null = null;
  /** `next_float_normal_sample_`: never produced by the kernels reproduced here; kept for state round trips. */
  private nextFloatNormal: number | null = null;

  constructor(seed: number | bigint = DEFAULT_RNG_SEED, options: GeneratorOptions = {}) {
    this.engine = new MT19937(seed);
    this.normalKernel = options.normalKernel ?? 'avx2';
  }

  // ------------------------------------------------------------------ seeding & state

  /**
   * `torch.Generator.manual_seed`: reseeds the engine and drops cached normal samples.
   * Negative seeds wrap modulo 2^64 like PyTorch; numbers must be safe integers (use a bigint
   * for larger seeds). Only the low 32 bits affect the stream.
   */
  manualSeed(seed: number | bigint): this {
    this.engine.reseed(seed);
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** `torch.Generator.initial_seed`: the uint64 seed last set, as a bigint (seeds may exceed 2^53). */
  initialSeed(): bigint {
    return this.engine.seed;
  }

  /**
   * `torch.Generator.seed`: reseeds from a non-deterministic 64-bit source (Web Crypto when
   * available) and returns the new seed.
   */
  seed(): bigint {
    const words = new Uint32Array(2);
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
    if (c && typeof c.getRandomValues === 'function') {
      c.getRandomValues(words);
    } else {
      words[0] = (Math.random() * TWO_POW_32) >>> 0;
      words[1] = (Math.random() * TWO_POW_32) >>> 0;
    }
    const s = (BigInt(words[0]) << 32n) | BigInt(words[1]);
    this.manualSeed(s);
    return s;
  }

  /**
   * Snapshot of everything needed to resume the stream: engine state and the cached normal
   * samples. The bytes are laid out exactly like PyTorch's `CPUGeneratorImplState` on a
   * little-endian 64-bit machine (5056 bytes, what `torch.get_rng_state()` returns):
   *
   * | offset | field |
   * |---|---|
   * | 0    | u64 the_initial_seed |
   * | 8    | i32 left |
   * | 12   | i32 seeded |
   * | 16   | u64 next |
   * | 24   | u64 state[624] (each holding a uint32) |
   * | 5016 | f64 normal_x (always 0) |
   * | 5024 | f64 normal_y (cached double normal sample) |
   * | 5032 | f64 normal_rho (always 0) |
   * | 5040 | i32 normal_is_valid |
   * | 5048 | f32 next_float_normal_sample |
   * | 5052 | u8  is_next_float_normal_sample_valid |
   *
   * so a state taken here can be loaded with `torch.set_rng_state(torch.tensor(list(bytes), dtype=torch.uint8))`
   * and vice versa.
   */
  getState(): Uint8Array {
    return encodeState(this.engine, { nextDoubleNormal: this.nextDoubleNormal, nextFloatNormal: this.nextFloatNormal });
  }

  /**
   * Restores a state produced by {@link getState} (or by `torch.get_rng_state()`). PyTorch's
   * legacy 5048-byte `THGeneratorState` is accepted too, with the same conversion PyTorch does.
   */
  setState(state: Uint8Array): this {
    const cache = decodeState(this.engine, state, {
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    });
    this.nextDoubleNormal = cache.nextDoubleNormal;
    this.nextFloatNormal = cache.nextFloatNormal;
    return this;
  }

  /** An independent generator with the same state and options. */
  clone(): Generator {
    const g = new Generator(0, { normalKernel: this.normalKernel });
    g.setState(this.getState());
    return g;
  }

  // ------------------------------------------------------------------ raw draws

  /** `CPUGeneratorImpl::random()`: one uint32 draw in [0, 2^32). */
  random(): number {
    return this.engine.nextUint32();
  }

  /** `CPUGeneratorImpl::random64()`: `(hi << 32) | lo` from two draws, hi first. */
  random64(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  // ------------------------------------------------------------------ samplers

  /**
   * `torch.rand(numel)` / `Tensor.uniform_(from, to)` on a float32 tensor.
   * ATen: `uniform_kernel` -> `uniform_real_distribution<float>`: one 32-bit draw per element,
   * `x = (draw & (2^24-1)) * 2^-24`, result `fma(x, to - from, from)` in float32 with
   * `from`/`to` cast to float32 first.
   */
  uniform(numel: number, from = 0, to = 1): Float32Array {
    return sampleUniform(this.engine, numel, from, to);
  }

  /**
   * `torch.randn(numel)` / `Tensor.normal_(mean, std)` on a float32 tensor.
   *
   * - `numel < 16` (or a non-contiguous tensor: pass `contiguous = false`): the scalar path,
   *   `normal_distribution<double>` per element, Box-Muller in double precision from two
   *   53-bit uniforms, caching the sine sample in the generator for the next scalar-path draw.
   * - `numel >= 16` and contiguous: `normal_fill` (vectorized): first `numel` 24-bit uniforms,
   *   then Box-Muller on each block of 16 (u1 = first 8, u2 = last 8). If `numel % 16 != 0`,
   *   16 fresh uniforms overwrite the last 16 elements and that block is transformed again.
   *   The exact float32 arithmetic depends on {@link normalKernel}.
   */
  normal(numel: number, mean = 0, std = 1, contiguous = true): Float32Array {
    checkNumel(numel);
    if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
    const out = new Float32Array(numel);
    if (numel >= 16 && contiguous) {
      fillNormalVectorized(this.engine, out, numel, mean, std, this.normalKernel);
    } else {
      for (let i = 0; i < numel; i++) out[i] = this.normalScalar(mean, std);
    }
    return out;
  }

  /**
   * One `at::normal_distribution<double>(mean, std)` draw (the scalar normal path), as a double.
   * Uses/sets the cached second sample exactly like PyTorch.
   */
  normalScalar(mean = 0, std = 1): number {
    const cached = this.nextDoubleNormal;
    if (cached !== null) {
      this.nextDoubleNormal = null;
      return cached * std + mean;
    }
    const u1 = uniformDouble(this.engine);
    const u2 = uniformDouble(this.engine);
    const r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
    const theta = 2.0 * Math.PI * u1;
    this.nextDoubleNormal = r * Math.sin(theta);
    return r * Math.cos(theta) * std + mean;
  }

  /**
   * `torch.randint(low, high, (numel,))` (int64 in PyTorch; values returned as int32 here).
   * ATen: `random_from_to_kernel` -> `uniform_int_from_to_distribution`: with
   * `range = high - low`, each element is `random() % range + low`, or `random64() % range + low`
   * when `range >= 2^32`. Bounds must fit int32: `-2^31 <= low < high <= 2^31`.
   */
  randint(numel: number, low: number, high: number): Int32Array {
    return sampleRandint(this.engine, numel, low, high);
  }

  /**
   * `torch.randperm(n)` (int64 in PyTorch; int32 here). ATen 1.13 `randperm_cpu`: start from
   * the identity, then for `i = 0 .. n-2` swap element `i` with element `i + random() % (n - i)`.
   * (PyTorch 2.x keeps this for n < 2^32/20 and switches to an inside-out shuffle with
   * `random64()` above; 1.13 always uses the loop below.)
   */
  randperm(n: number): Int32Array {
    return sampleRandperm(this.engine, n);
  }

  /**
   * `Tensor.bernoulli_(p)` with a scalar `p` on a float32 tensor: 0/1 values.
   * ATen (non-MKL build) `bernoulli_kernel(self, double p, gen)` -> `bernoulli_distribution<double>`:
   * one `random64()` per element, `uniform = (bits & (2^53-1)) * 2^-53`, value `uniform < p`.
   */
  bernoulli(numel: number, p: number): Float32Array {
    return sampleBernoulli(this.engine, numel, p);
  }

  /**
   * The multiplier `F.dropout(x, p, training=True)` applies to a float32 CPU tensor, element by
   * element (1.13 `at::native::dropout` -> `_dropout_impl`: the fused kernel is CUDA/XPU/lazy only):
   * `noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p); return x * noise`.
   * So each value is `0` or `float32(1) / float32(1 - p)` (the divisor is cast to float32).
   * `p == 0` and `p == 1` consume no random numbers (all ones / all zeros), as in PyTorch.
   */
  dropoutMask(numel: number, p: number): Float32Array {
    return sampleDropoutMask(this.engine, numel, p);
  }

  /**
   * `Tensor.exponential_(lambd)` on a float32 tensor: per element (a serial kernel), a 53-bit double uniform `u`,
   * `-1 / lambd * log(1 - u)` in double, rounded to float32.
   */
  exponential(numel: number, lambd = 1, double = false): Float32Array | Float64Array {
    checkNumel(numel);
    // A float64 tensor keeps the double (`static_cast<double>`); float32 rounds each value.
    const out = double ? new Float64Array(numel) : new Float32Array(numel);
    for (let i = 0; i < numel; i++) out[i] = (-1 / lambd) * Math.log(1 - uniformDouble(this.engine));
    return out;
  }

  /** One `uniform_real_distribution<double>(0, 1)` draw (53 bits), as multinomial's sampler takes it. */
  uniformDouble(): number {
    return uniformDouble(this.engine);
  }

  /** `torch.rand` / `uniform_(from, to)` on a float64 tensor: one 53-bit uniform per element. */
  uniform64(numel: number, from = 0, to = 1): Float64Array {
    return sampleUniform64(this.engine, numel, from, to);
  }

  /** `torch.randn` / `normal_(mean, std)` on a float64 tensor: `normal_fill<double>` or the scalar path. */
  normal64(numel: number, mean = 0, std = 1, contiguous = true): Float64Array {
    checkNumel(numel);
    if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
    const out = new Float64Array(numel);
    if (numel >= 16 && contiguous) fillNormal64(this.engine, out, mean, std);
    else for (let i = 0; i < numel; i++) out[i] = this.normalScalar(mean, std);
    return out;
  }

  /** `torch.poisson(rates)`: one Poisson draw per rate, in order. */
  poisson(rates: ArrayLike<number>): Float64Array {
    return samplePoissonEach(this.engine, rates);
  }

  /** `Tensor.geometric_(p)`: trials up to the first success, from one 53-bit uniform each. */
  geometric(numel: number, p: number): Float64Array {
    return sampleGeometric(this.engine, numel, p);
  }

  /** `Tensor.log_normal_(mean, std)`: `exp` of one scalar-path normal (`normal_distribution<double>`) per element. */
  logNormal(numel: number, mean = 1, std = 2): Float64Array {
    checkNumel(numel);
    const out = new Float64Array(numel);
    for (let i = 0; i < numel; i++) out[i] = Math.exp(this.normalScalar(mean, std));
    return out;
  }

  /** `Tensor.cauchy_(median, sigma)`: one 53-bit uniform per element. */
  cauchy(numel: number, median = 0, sigma = 1): Float64Array {
    return sampleCauchy(this.engine, numel, median, sigma);
  }

  /** `Tensor.random_()` of a tensor of `kind`: draws reduced modulo the dtype's range (see `sampleRandomBits`). */
  randomBits(numel: number, kind: RandomBitsKind): Float64Array | BigInt64Array {
    return sampleRandomBits(this.engine, numel, kind);
  }
}
// ====================================================================== default generator

/**
 * The process-wide default generator (the counterpart of `torch.default_generator`), seeded with
 * {@link DEFAULT_RNG_SEED} = 67280421310721.
 */
export const defaultGenerator: Generator = new Generator(DEFAULT_RNG_SEED);

/** `torch.manual_seed(seed)`: seeds {@link defaultGenerator} and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** `torch.initial_seed()` of {@link defaultGenerator}. */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

/** `torch.seed()`: reseeds {@link defaultGenerator} non-deterministically and returns the seed. */
export function seed(): bigint {
  return defaultGenerator.seed();
}

/** `torch.get_rng_state()` of {@link defaultGenerator}. */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/** `torch.set_rng_state(state)` on {@link defaultGenerator}. */
export function setRngState(state: Uint8Array): void {
  defaultGenerator.setState(state);
}

// re-exported so users need a single import
export { toUint64Seed };
