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

import { MT19937, MT_STATE_N, toUint64Seed } from './mt19937.js';

/**
 * Which compiled variant of ATen's CPU normal kernel to reproduce for float32 tensors with
 * 16 or more elements (the only place where PyTorch's CPU output depends on the machine):
 *
 * - `'avx2'` (default): `normal_fill_AVX2`, used by PyTorch when its runtime CPU capability is
 *   AVX2 (`torch.__config__.show()` says "CPU capability usage: AVX2"). Reproduced bit for bit,
 *   including the fused multiply-adds the compiler emits inside `avx_mathfun.h`.
 * - `'default'`: the portable `normal_fill` (capability DEFAULT, and also AVX512, whose build does
 *   not define CPU_CAPABILITY_AVX2). It calls libm's `logf`/`cosf`/`sinf`; we use correctly
 *   rounded float32 versions of those, which glibc's are not always: about 1.5% of values differ
 *   from PyTorch by 1-3 ulp. Close, but NOT bit-exact. Draw counts (hence the rest of the
 *   stream) are unaffected.
 */
export type NormalKernel = 'avx2' | 'default';

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

/** Size in bytes of the state returned by {@link Generator.getState} (PyTorch's `CPUGeneratorImplState`). */
export const GENERATOR_STATE_SIZE = 5056;
/** Size of PyTorch's legacy `THGeneratorState`, also accepted by {@link Generator.setState}. */
export const LEGACY_GENERATOR_STATE_SIZE = 5048;

const f32 = Math.fround;
const TWO_POW_M24 = 1 / 16777216; // 2^-24
const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992; // 2^-53

// Scratch buffer for bulk raw draws, shared by every Generator: draws are synchronous and a generator never calls
// another, so one buffer suffices, and a DataLoader that seeds a fresh Generator per epoch allocates no 16 KB each.
const CHUNK = 4096;
const SHARED_SCRATCH = new Uint32Array(CHUNK);

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
  private readonly scratch = SHARED_SCRATCH;

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
    const bytes = new Uint8Array(GENERATOR_STATE_SIZE);
    const dv = new DataView(bytes.buffer);
    const e = this.engine;
    dv.setBigUint64(0, e.seed, true);
    dv.setInt32(8, e.left, true);
    dv.setInt32(12, e.seeded ? 1 : 0, true);
    dv.setBigUint64(16, BigInt(e.next), true);
    const st = e.state;
    for (let i = 0; i < MT_STATE_N; i++) {
      dv.setUint32(24 + 8 * i, st[i], true);
      // upper half of each u64 stays 0
    }
    if (this.nextDoubleNormal !== null) {
      dv.setFloat64(5024, this.nextDoubleNormal, true);
      dv.setInt32(5040, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      dv.setFloat32(5048, this.nextFloatNormal, true);
      bytes[5052] = 1;
    }
    return bytes;
  }

  /**
   * Restores a state produced by {@link getState} (or by `torch.get_rng_state()`). PyTorch's
   * legacy 5048-byte `THGeneratorState` is accepted too, with the same conversion PyTorch does.
   */
  setState(state: Uint8Array): this {
    const size = state.byteLength;
    if (size !== GENERATOR_STATE_SIZE && size !== LEGACY_GENERATOR_STATE_SIZE) {
      throw new RangeError(
        `Expected a generator state of ${GENERATOR_STATE_SIZE} bytes (or legacy ${LEGACY_GENERATOR_STATE_SIZE}), got ${size}`,
      );
    }
    const dv = new DataView(state.buffer, state.byteOffset, size);
    let doubleSample: number | null = null;
    let floatSample: number | null = this.nextFloatNormal;
    const normalValid = dv.getInt32(5040, true) !== 0;
    if (size === LEGACY_GENERATOR_STATE_SIZE) {
      // legacy: normal_x / normal_rho describe the cached sample; the float cache is left as is
      if (normalValid) {
        const x = dv.getFloat64(5016, true);
        const rho = dv.getFloat64(5032, true);
        doubleSample = rho * Math.sin(2.0 * Math.PI * x);
      }
    } else {
      floatSample = state[5052] !== 0 ? dv.getFloat32(5048, true) : null;
      if (normalValid) doubleSample = dv.getFloat64(5024, true);
    }
    const words = new Uint32Array(MT_STATE_N);
    for (let i = 0; i < MT_STATE_N; i++) words[i] = dv.getUint32(24 + 8 * i, true);
    this.engine.setData({
      seed: dv.getBigUint64(0, true),
      left: dv.getInt32(8, true),
      seeded: dv.getInt32(12, true) !== 0,
      next: Number(dv.getBigUint64(16, true) & 0xffffffffn),
      state: words,
    });
    this.nextDoubleNormal = doubleSample;
    this.nextFloatNormal = floatSample;
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

  /** `uniform_real_distribution<double>(0, 1)`: 53 low bits of `random64()` times 2^-53. */
  private uniformDouble(): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53;
  }

  /** Fills `out[start..end)` with `uniform_real_distribution<float>(0, 1)` draws (24-bit). */
  private fillUniform01(out: Float32Array, start: number, end: number): void {
    const buf = this.scratch;
    let i = start;
    while (i < end) {
      const n = Math.min(CHUNK, end - i);
      this.engine.fillUint32(buf, n);
      for (let k = 0; k < n; k++) out[i++] = (buf[k] & 0xffffff) * TWO_POW_M24;
    }
  }

  // ------------------------------------------------------------------ samplers

  /**
   * `torch.rand(numel)` / `Tensor.uniform_(from, to)` on a float32 tensor.
   * ATen: `uniform_kernel` -> `uniform_real_distribution<float>`: one 32-bit draw per element,
   * `x = (draw & (2^24-1)) * 2^-24`, result `fma(x, to - from, from)` in float32 with
   * `from`/`to` cast to float32 first.
   */
  uniform(numel: number, from = 0, to = 1): Float32Array {
    checkNumel(numel);
    if (!(from <= to)) {
      throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
    }
    const out = new Float32Array(numel);
    const lo = f32(from);
    const range = f32(f32(to) - lo);
    if (lo === 0 && range === 1) {
      this.fillUniform01(out, 0, numel);
      return out;
    }
    const buf = this.scratch;
    let i = 0;
    while (i < numel) {
      const n = Math.min(CHUNK, numel - i);
      this.engine.fillUint32(buf, n);
      for (let k = 0; k < n; k++) out[i++] = fmaf((buf[k] & 0xffffff) * TWO_POW_M24, range, lo);
    }
    return out;
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
      this.fillUniform01(out, 0, numel);
      const m = f32(mean);
      const s = f32(std);
      const fill = this.normalKernel === 'avx2' ? avx2BoxMuller : normalFillDefault;
      fill(out, 0, Math.floor(numel / 16), m, s);
      if (numel % 16 !== 0) {
        // recompute the last 16 values from 16 fresh uniforms
        const o = numel - 16;
        this.fillUniform01(out, o, numel);
        fill(out, o, 1, m, s);
      }
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
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
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
    checkNumel(numel);
    if (!Number.isInteger(low) || !Number.isInteger(high)) {
      throw new TypeError(`randint bounds must be integers, got low=${low}, high=${high}`);
    }
    if (!(low < high)) {
      throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    }
    if (low < -TWO_POW_32 / 2 || high > TWO_POW_32 / 2) {
      throw new RangeError(`randint bounds must fit int32 (low >= -2^31, high <= 2^31), got [${low}, ${high})`);
    }
    const range = high - low;
    const out = new Int32Array(numel);
    if (range >= TWO_POW_32) {
      // range == 2^32 exactly: random64() % 2^32 is the low (second) word.
      for (let i = 0; i < numel; i++) {
        this.engine.nextUint32();
        out[i] = this.engine.nextUint32() + low;
      }
      return out;
    }
    const buf = this.scratch;
    let i = 0;
    while (i < numel) {
      const n = Math.min(CHUNK, numel - i);
      this.engine.fillUint32(buf, n);
      for (let k = 0; k < n; k++) out[i++] = (buf[k] % range) + low;
    }
    return out;
  }

  /**
   * `torch.randperm(n)` (int64 in PyTorch; int32 here). ATen 1.13 `randperm_cpu`: start from
   * the identity, then for `i = 0 .. n-2` swap element `i` with element `i + random() % (n - i)`.
   * (PyTorch 2.x keeps this for n < 2^32/20 and switches to an inside-out shuffle with
   * `random64()` above; 1.13 always uses the loop below.)
   */
  randperm(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be non-negative, got ${n}`);
    if (n > 0x7fffffff) throw new RangeError(`randperm n=${n} does not fit int32`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    const e = this.engine;
    for (let i = 0; i < n - 1; i++) {
      const z = e.nextUint32() % (n - i);
      const t = out[i];
      out[i] = out[z + i];
      out[z + i] = t;
    }
    return out;
  }

  /**
   * `Tensor.bernoulli_(p)` with a scalar `p` on a float32 tensor: 0/1 values.
   * ATen (non-MKL build) `bernoulli_kernel(self, double p, gen)` -> `bernoulli_distribution<double>`:
   * one `random64()` per element, `uniform = (bits & (2^53-1)) * 2^-53`, value `uniform < p`.
   */
  bernoulli(numel: number, p: number): Float32Array {
    checkNumel(numel);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    const out = new Float32Array(numel);
    this.fillBernoulli(out, p, 1);
    return out;
  }

  /**
   * The multiplier `F.dropout(x, p, training=True)` applies to a float32 CPU tensor, element by
   * element (1.13 `at::native::dropout` -> `_dropout_impl`: the fused kernel is CUDA/XPU/lazy only):
   * `noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p); return x * noise`.
   * So each value is `0` or `float32(1) / float32(1 - p)` (the divisor is cast to float32).
   * `p == 0` and `p == 1` consume no random numbers (all ones / all zeros), as in PyTorch.
   */
  dropoutMask(numel: number, p: number): Float32Array {
    checkNumel(numel);
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    }
    if (p === 0 || numel === 0) return new Float32Array(numel).fill(1);
    if (p === 1) return new Float32Array(numel);
    const keep = 1 - p;
    const scale = f32(1 / f32(keep));
    const out = new Float32Array(numel);
    this.fillBernoulli(out, keep, scale);
    return out;
  }

  /** `out[i] = uniform_real_distribution<double>(0, 1) < p ? one : 0`, one `random64()` each. */
  private fillBernoulli(out: Float32Array, p: number, one: number): void {
    const buf = this.scratch;
    const n = out.length;
    let i = 0;
    while (i < n) {
      const m = Math.min(CHUNK >>> 1, n - i);
      this.engine.fillUint32(buf, 2 * m);
      for (let k = 0; k < 2 * m; k += 2) {
        const u = ((buf[k] & 0x1fffff) * TWO_POW_32 + buf[k + 1]) * TWO_POW_M53;
        out[i++] = u < p ? one : 0;
      }
    }
  }
}

function checkNumel(numel: number): void {
  if (!Number.isInteger(numel) || numel < 0) throw new RangeError(`numel must be a non-negative integer, got ${numel}`);
}

// ====================================================================== float32 helpers

/**
 * Single-rounding float32 fused multiply-add `fmaf(a, b, c)` for float32 inputs.
 * `a*b` is exact in double (24+24 bits); `s = a*b + c` is rounded once to double, and rounding
 * that to float32 can only go wrong when `s` lands exactly on a float32 midpoint, which is
 * detected and fixed using the exact error of the double addition.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  const o = 2 * s - r; // the other float neighbour when s is a midpoint
  if (f32(o) !== o || o === r) return r;
  return fmafMidpoint(p, c, s, r, o);
}

function fmafMidpoint(p: number, c: number, s: number, r: number, o: number): number {
  const bb = s - p;
  const err = p - (s - bb) + (c - bb); // exact: (p + c) - s
  if (err === 0) return r; // a true tie: round-half-even already chosen by fround
  return err > 0 ? Math.max(r, o) : Math.min(r, o);
}

// ---------------------------------------------------------------- AVX2 kernel emulation
// aten/src/ATen/native/cpu/DistributionTemplates.h `normal_fill_16_AVX2`, with `log256_ps` and
// `sincos256_ps` from aten/src/ATen/native/cpu/avx_mathfun.h evaluated lane by lane in float32.
// PyTorch's AVX2 objects are built with -mavx2 -mfma and GCC contracts the intrinsic
// mul/add pairs into FMAs (every mul whose only use is an add/sub; in log256_ps the
// `y*z + e*q1` step fuses y*z). Reproduced bit for bit: checked against 3.6e7 PyTorch samples
// and, pass by pass, against an exact-FMA transcription on all 2^24 possible inputs.

// eslint-disable-next-line no-loss-of-precision -- copied verbatim from avx_mathfun.h; f32 rounds it anyway
const SQRTHF = f32(0.707106781186547524);
const LOG_P0 = f32(7.0376836292e-2);
const LOG_P1 = f32(-1.151461031e-1);
const LOG_P2 = f32(1.167699874e-1);
const LOG_P3 = f32(-1.2420140846e-1);
const LOG_P4 = f32(1.4249322787e-1);
const LOG_P5 = f32(-1.6668057665e-1);
const LOG_P6 = f32(2.0000714765e-1);
const LOG_P7 = f32(-2.4999993993e-1);
const LOG_P8 = f32(3.3333331174e-1);
const LOG_Q1 = f32(-2.1219444e-4);
const LOG_Q2 = f32(0.693359375);

const FOPI = f32(1.27323954473516);
const MINUS_DP1 = f32(-0.78515625);
const MINUS_DP2 = f32(-2.4187564849853515625e-4);
// eslint-disable-next-line no-loss-of-precision -- copied verbatim from avx_mathfun.h; f32 rounds it anyway
const MINUS_DP3 = f32(-3.77489497744594108e-8);
const SINCOF_P0 = f32(-1.9515295891e-4);
const SINCOF_P1 = f32(8.3321608736e-3);
const SINCOF_P2 = f32(-1.6666654611e-1);
const COSCOF_P0 = f32(2.443315711809948e-5);
const COSCOF_P1 = f32(-1.388731625493765e-3);
const COSCOF_P2 = f32(4.166664568298827e-2);
const TWO_PI_F = f32(2 * Math.PI); // _mm256_set1_ps(2.0f * c10::pi<double>)

// 2^-k for k = 0..25, to scale integers into [0.5, 1) without a division
const POW2_NEG = new Float64Array(26).map((_, k) => 2 ** -k);

/**
 * `normal_fill_16_AVX2` on `nBlocks` consecutive blocks of 16 starting at `d[o]`, in place:
 * each block holds 16 float32 uniforms from `uniform_real_distribution<float>(0, 1)` (multiples
 * of 2^-24 in [0, 1)); lanes 0..7 are u1, lanes 8..15 are u2, and the block is replaced by
 * 16 normals (cos samples first, sin samples last). Exported for tests and for callers that
 * manage their own uniforms; `Generator.normal` is the usual entry point.
 *
 * Done in two passes over the blocks (radius, then trigonometry), each one function with a
 * loop, so that the JIT keeps every value unboxed.
 *
 * About the FMAs: PyTorch's AVX2 object code fuses the intrinsics' mul/add pairs (GCC,
 * -mfma, -ffp-contract=fast). A fused `fma(a, b, c)` on float32 operands is computed here as
 * `fround(a * b + c)`: `a * b` is exact in double, and the only way the double sum can then
 * round differently from a single float32 rounding is by landing exactly on a float32 midpoint.
 * For these two passes that never happens: all 2^24 possible u1 and all 2^24 possible u2 were
 * checked against a correctly rounded `fmaf` (the `fmaf` export) with identical results (see
 * random.test.ts, "AVX2 kernel FMA shortcut"). The final `fma(n, std, mean)` depends on the
 * caller's mean/std, so it uses the exact `fmaf`.
 */
export function avx2BoxMuller(d: Float32Array, o: number, nBlocks: number, mean: number, std: number): void {
  avx2Radius(d, o, nBlocks);
  avx2Trig(d, o, nBlocks, mean, std);
}

/**
 * First half of `normal_fill_16_AVX2`: replaces u in the first 8 lanes of each block with
 * `radius = sqrt(-2 * log256_ps(1 - u))`.
 *
 * `log256_ps` is specialised to its inputs here: `u1 = 1 - u` with `u` a 24-bit uniform, i.e.
 * `u1 = k * 2^-24` for an integer k in [1, 2^24] (so no zero, negative or denormal input).
 */
function avx2Radius(d: Float32Array, o: number, nBlocks: number): void {
  for (let b = 0; b < nBlocks; b++) {
    const base = o + 16 * b;
    for (let j = 0; j < 8; j++) {
      const u1 = f32(1 - d[base + j]);
      // frexp: u1 = x * 2^e, x in [0.5, 1) (the intrinsics read the exponent field and replace
      // it with that of 0.5); k has `bits` significant bits.
      const k = u1 * 16777216;
      const bits = 32 - Math.clz32(k);
      let e = bits - 24;
      let x = k * POW2_NEG[bits];
      if (x < SQRTHF) {
        e -= 1;
        x = x - 1 + x; // exact
      } else {
        x = x - 1; // exact
      }
      const z = f32(x * x);
      let y = f32(LOG_P0 * x + LOG_P1);
      y = f32(y * x + LOG_P2);
      y = f32(y * x + LOG_P3);
      y = f32(y * x + LOG_P4);
      y = f32(y * x + LOG_P5);
      y = f32(y * x + LOG_P6);
      y = f32(y * x + LOG_P7);
      y = f32(y * x + LOG_P8);
      y = f32(y * x);
      y = f32(y * z + f32(e * LOG_Q1));
      y = f32(y - z * 0.5); // z*0.5 is exact
      x = f32(x + y);
      const log = f32(x + e * LOG_Q2); // e*Q2 is exact
      d[base + j] = Math.sqrt(-2 * log); // -2*log is exact; the store rounds sqrt correctly
    }
  }
}

/**
 * Second half of `normal_fill_16_AVX2`: `theta = 2*pi * u2`, `sincos256_ps(theta)`, and the
 * outputs `fma(radius * cos, std, mean)` / `fma(radius * sin, std, mean)`.
 */
function avx2Trig(d: Float32Array, o: number, nBlocks: number, mean: number, std: number): void {
  const plain = mean === 0 && std === 1;
  for (let b = 0; b < nBlocks; b++) {
    const base = o + 16 * b;
    for (let l = 0; l < 8; l++) {
      const radius = d[base + l];
      const theta = f32(TWO_PI_F * d[base + l + 8]); // >= 0, so no sign handling
      let j = Math.trunc(f32(theta * FOPI)); // _mm256_cvttps_epi32
      j = (j + 1) & ~1;
      let x = f32(j * MINUS_DP1 + theta);
      x = f32(j * MINUS_DP2 + x);
      x = f32(j * MINUS_DP3 + x);
      const z = f32(x * x);
      let c = f32(COSCOF_P0 * z + COSCOF_P1);
      c = f32(c * z + COSCOF_P2);
      c = f32(c * z);
      c = f32(c * z + -f32(z * 0.5));
      c = f32(c + 1);
      let s = f32(SINCOF_P0 * z + SINCOF_P1);
      s = f32(s * z + SINCOF_P2);
      s = f32(s * z);
      s = f32(s * x + x);
      // poly_mask: the sine polynomial gives sin when (j & 2) == 0, cos otherwise
      let sn = s;
      let cs = c;
      if ((j & 2) !== 0) {
        sn = c;
        cs = s;
      }
      if ((j & 4) !== 0) sn = -sn;
      if ((~(j - 2) & 4) !== 0) cs = -cs;
      const n1 = f32(radius * cs);
      const n2 = f32(radius * sn);
      if (plain) {
        // fma(n, 1, 0) == n + 0 (turns -0 into +0 like the hardware does)
        d[base + l] = n1 + 0;
        d[base + l + 8] = n2 + 0;
      } else {
        d[base + l] = fmaf(n1, std, mean);
        d[base + l + 8] = fmaf(n2, std, mean);
      }
    }
  }
}

/**
 * `normal_fill_16<float>` (portable kernel) on `nBlocks` blocks of 16 from `d[o]`, in place.
 * libm's float `logf/cosf/sinf` are approximated by correctly rounded float32 results.
 */
function normalFillDefault(d: Float32Array, o: number, nBlocks: number, mean: number, std: number): void {
  for (let b = 0; b < nBlocks; b++) {
    const base = o + 16 * b;
    for (let j = 0; j < 8; j++) {
      const u1 = f32(1 - d[base + j]);
      const u2 = d[base + j + 8];
      const radius = f32(Math.sqrt(f32(-2 * f32(Math.log(u1)))));
      const theta = f32(2.0 * Math.PI * u2);
      d[base + j] = f32(f32(f32(radius * f32(Math.cos(theta))) * std) + mean);
      d[base + j + 8] = f32(f32(f32(radius * f32(Math.sin(theta))) * std) + mean);
    }
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
