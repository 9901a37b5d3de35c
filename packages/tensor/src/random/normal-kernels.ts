/**
 * The float32 kernels of ATen's vectorized CPU normal sampler (`normal_fill`), applied in place to blocks of 16
 * uniforms: the AVX2 variant reproduced bit for bit, and the portable variant. See ./README.md.
 */

import { f32, fmaf } from './float32.js';

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

/** A normal kernel: transforms `nBlocks` blocks of 16 uniforms from `d[o]` into normals, in place. */
export type NormalFill = (d: Float32Array, o: number, nBlocks: number, mean: number, std: number) => void;

/** The kernel implementing `kernel`. */
export function normalFillFor(kernel: NormalKernel): NormalFill {
  return kernel === 'avx2' ? avx2BoxMuller : normalFillDefault;
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
