// PyTorch-exact CPU RNG: streams checked value for value against real PyTorch 1.13 output
// (shared/fixtures/pytorch/rng.json and test/fixtures/rng-extra.json, made by
// tooling/fixtures/gen_rng_extra.py).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  DEFAULT_RNG_SEED,
  Generator,
  avx2BoxMuller,
  defaultGenerator,
  fmaf,
  initialSeed,
  manualSeed,
} from '../src/random/generator.js';
import { MT19937 } from '../src/random/mt19937.js';
import { loadFixture } from './fixtures.js';

interface Out {
  shape: number[];
  dtype: 'float32' | 'int64';
  data?: number[];
  sha256?: string;
}

interface Call {
  fn: string;
  shape?: number[];
  n?: number;
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  from?: number;
  to?: number;
  p?: number;
  out?: Out;
}

interface Case {
  seed: number;
  calls: Call[];
}

const numelOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function runCall(g: Generator, call: Call): Float32Array | Int32Array {
  const n = call.shape ? numelOf(call.shape) : 0;
  switch (call.fn) {
    case 'randn':
      return g.normal(n);
    case 'rand':
      return g.uniform(n);
    case 'normal_':
      return g.normal(n, call.mean, call.std);
    case 'uniform_':
      return g.uniform(n, call.from, call.to);
    case 'randint':
      return g.randint(n, call.low!, call.high!);
    case 'randperm':
      return g.randperm(call.n!);
    case 'bernoulli_':
      return g.bernoulli(n, call.p!);
    case 'dropout':
      return g.dropoutMask(n, call.p!);
    case 'randn_strided':
      return g.normal(n, 0, 1, false);
    default:
      throw new Error(`unknown fn ${call.fn}`);
  }
}

function describeCall(call: Call): string {
  const { out: _out, ...rest } = call;
  return JSON.stringify(rest);
}

/** Exact comparison (same values, same order, -0 vs +0 included for floats). */
function expectExact(actual: Float32Array | Int32Array, out: Out, what: string): void {
  expect(actual.length, `${what}: length`).toBe(numelOf(out.shape));
  if (out.sha256 !== undefined) {
    const bytes = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
    expect(createHash('sha256').update(bytes).digest('hex'), `${what}: sha256`).toBe(out.sha256);
    return;
  }
  const expected = out.data!;
  let firstBad = -1;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      firstBad = i;
      break;
    }
  }
  if (firstBad >= 0) {
    expect.fail(`${what}: element ${firstBad} is ${actual[firstBad]}, PyTorch gives ${expected[firstBad]}`);
  }
}

function checkCase(g: Generator, c: Case, label: string): void {
  g.manualSeed(c.seed);
  c.calls.forEach((call, i) => {
    expectExact(runCall(g, call), call.out!, `${label} seed=${c.seed} call#${i} ${describeCall(call)}`);
  });
}

const rng = loadFixture('rng') as { torch: string; cases: Case[] };

const extraText = readFileSync(new URL('./fixtures/rng-extra.json', import.meta.url), 'utf8');
const extra = JSON.parse(extraText) as {
  torch: string;
  capability: string;
  cases: Case[];
  states: { seed: number; calls: Call[]; initial_seed: string; state_b64: string; after: Call[] }[];
  generators: { seed: string | null; initial_seed: string; calls: Call[] }[];
  default_kernel: Case[];
};

/** Distance in float32 units in the last place (same sign assumed; 0 when equal). */
function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  const buf = new Float32Array([a, b]);
  const bits = new Int32Array(buf.buffer);
  const key = (i: number): number => (bits[i] < 0 ? -(bits[i] & 0x7fffffff) : bits[i]);
  return Math.abs(key(0) - key(1));
}

describe('mt19937', () => {
  it('matches the reference MT19937 output (std::mt19937 default seed 5489)', () => {
    const mt = new MT19937(5489);
    let last = 0;
    for (let i = 0; i < 10000; i++) last = mt.nextUint32();
    // the C++ standard requires the 10000th output of std::mt19937 to be 4123659995
    expect(last).toBe(4123659995);
  });

  it('first outputs for seed 0 and 1', () => {
    const a = new MT19937(0);
    expect([a.nextUint32(), a.nextUint32(), a.nextUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
    const b = new MT19937(1);
    expect(b.nextUint32()).toBe(1791095845);
  });

  it('fillUint32 produces the same sequence as single draws, across twists', () => {
    const a = new MT19937(42);
    const b = new MT19937(42);
    for (let k = 0; k < 7; k++) a.nextUint32();
    for (let k = 0; k < 7; k++) b.nextUint32();
    const bulk = new Uint32Array(3000);
    a.fillUint32(bulk, 1500);
    a.fillUint32(bulk.subarray(1500), 1500);
    for (let i = 0; i < 3000; i++) expect(bulk[i]).toBe(b.nextUint32());
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('uses only the low 32 bits of the seed but remembers all 64', () => {
    const a = new MT19937(2n ** 40n + 9n);
    const b = new MT19937(9);
    expect(a.nextUint32()).toBe(b.nextUint32());
    expect(a.seed).toBe(2n ** 40n + 9n);
    expect(new MT19937(-1).seed).toBe(2n ** 64n - 1n);
  });
});

describe('shared fixture rng.json (PyTorch ' + rng.torch + ')', () => {
  for (const c of rng.cases) {
    it(`seed ${c.seed}: ${c.calls.length} calls, stream continuing across calls`, () => {
      checkCase(new Generator(), c, 'rng.json');
    });
  }

  it('the default generator and manualSeed reproduce the same streams', () => {
    const c = rng.cases[0];
    manualSeed(c.seed);
    c.calls.forEach((call, i) => {
      expectExact(runCall(defaultGenerator, call), call.out!, `default generator call#${i}`);
    });
  });
});

describe(`extra fixture rng-extra.json (PyTorch ${extra.torch}, ${extra.capability})`, () => {
  for (const c of extra.cases) {
    const fns = [...new Set(c.calls.map((x) => x.fn))].join(', ');
    it(`seed ${c.seed}: ${c.calls.length} calls (${fns})`, () => {
      checkCase(new Generator(), c, 'rng-extra.json');
    });
  }

  for (const s of extra.states) {
    it(`getState() equals torch.get_rng_state() byte for byte (seed ${s.seed}, ${s.calls.length} calls)`, () => {
      const g = new Generator();
      g.manualSeed(BigInt(s.seed));
      for (const call of s.calls) runCall(g, call);
      const torchState = new Uint8Array(Buffer.from(s.state_b64, 'base64'));
      const ours = g.getState();
      expect(ours.length).toBe(5056);
      expect(Buffer.from(ours).equals(Buffer.from(torchState))).toBe(true);
      expect(g.initialSeed().toString()).toBe(s.initial_seed);

      // loading PyTorch's state into a fresh generator resumes PyTorch's stream
      const h = new Generator(99).setState(torchState);
      expect(h.initialSeed().toString()).toBe(s.initial_seed);
      s.after.forEach((call, i) => {
        expectExact(runCall(h, call), call.out!, `after setState call#${i} ${describeCall(call)}`);
      });
    });
  }

  for (const gcase of extra.generators) {
    it(`seed ${gcase.seed ?? '(fresh torch.Generator())'} -> initial_seed ${gcase.initial_seed}`, () => {
      const g = gcase.seed === null ? new Generator() : new Generator().manualSeed(BigInt(gcase.seed));
      expect(g.initialSeed().toString()).toBe(gcase.initial_seed);
      gcase.calls.forEach((call, i) => {
        expectExact(runCall(g, call), call.out!, `generator seed=${gcase.seed} call#${i} ${describeCall(call)}`);
      });
    });
  }
});

describe(`portable normal kernel (normalKernel: 'default', PyTorch ATEN_CPU_CAPABILITY=default)`, () => {
  // PyTorch's portable normal_fill calls libm logf/cosf/sinf, which are not correctly rounded;
  // we use correctly rounded ones, so about 1-2% of the vectorized-path values differ by a few ulp.
  // The stream itself (number of draws, scalar path, other samplers) stays exact.
  for (const c of extra.default_kernel) {
    it(`seed ${c.seed}: ${c.calls.length} calls within 4 ulp, mostly exact`, () => {
      const g = new Generator(0, { normalKernel: 'default' }).manualSeed(c.seed);
      let total = 0;
      let inexact = 0;
      c.calls.forEach((call, i) => {
        const got = runCall(g, call);
        const want = call.out!.data!;
        expect(got.length).toBe(want.length);
        const vectorized = got.length >= 16;
        for (let k = 0; k < want.length; k++) {
          const d = ulpDistance(got[k], want[k]);
          total++;
          if (d !== 0) inexact++;
          if (!vectorized) expect(d, `call#${i} element ${k} (scalar path is exact)`).toBe(0);
          expect(d, `call#${i} element ${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(4);
        }
      });
      expect(inexact / total).toBeLessThan(0.05);
    });
  }
});

describe('Generator API', () => {
  it('starts at PyTorch default_rng_seed_val', () => {
    expect(new Generator().initialSeed()).toBe(67280421310721n);
    expect(DEFAULT_RNG_SEED).toBe(67280421310721n);
    const d = new Generator();
    manualSeed(DEFAULT_RNG_SEED);
    expect(initialSeed()).toBe(67280421310721n);
    expect(Array.from(defaultGenerator.normal(20))).toEqual(Array.from(d.normal(20)));
  });

  it('manualSeed accepts numbers and bigints, wraps negatives, rejects unsafe numbers', () => {
    const g = new Generator();
    expect(g.manualSeed(-1).initialSeed()).toBe(2n ** 64n - 1n);
    expect(g.manualSeed(2n ** 63n).initialSeed()).toBe(2n ** 63n);
    expect(() => g.manualSeed(2 ** 60)).toThrow(RangeError);
    expect(() => g.manualSeed(1.5)).toThrow(RangeError);
    expect(() => g.manualSeed(2n ** 64n)).toThrow(RangeError);
  });

  it('getState/setState round-trips the engine and the cached normal sample', () => {
    const g = new Generator().manualSeed(1234);
    g.normal(1); // leaves the sine sample cached
    g.uniform(10);
    const snap = g.getState();
    const a = [g.normal(1)[0], ...g.normal(40), ...g.uniform(5), ...g.randperm(9)];
    g.setState(snap);
    const b = [g.normal(1)[0], ...g.normal(40), ...g.uniform(5), ...g.randperm(9)];
    expect(b).toEqual(a);
    const c = new Generator(0).setState(snap);
    expect([c.normal(1)[0], ...c.normal(40), ...c.uniform(5), ...c.randperm(9)]).toEqual(a);
    expect(() => g.setState(new Uint8Array(100))).toThrow(RangeError);
  });

  it('manualSeed drops the cached normal sample', () => {
    const g = new Generator().manualSeed(5);
    const first = g.normal(2);
    g.manualSeed(5);
    g.normal(1);
    g.manualSeed(5);
    expect(g.normal(2)).toEqual(first);
  });

  it('seed() reseeds non-deterministically and reports the new seed', () => {
    const g = new Generator();
    const s = g.seed();
    expect(typeof s).toBe('bigint');
    expect(g.initialSeed()).toBe(s);
    const h = new Generator().manualSeed(s);
    expect(Array.from(h.uniform(4))).toEqual(Array.from(g.uniform(4)));
  });

  it('random64 assembles hi (first draw) then lo (second draw)', () => {
    const a = new Generator().manualSeed(0);
    const b = new Generator().manualSeed(0);
    const hi = BigInt(b.random());
    const lo = BigInt(b.random());
    expect(a.random64()).toBe((hi << 32n) | lo);
  });

  it('clone() is independent and continues identically', () => {
    const g = new Generator().manualSeed(77);
    g.normal(1);
    const h = g.clone();
    expect(Array.from(h.normal(30))).toEqual(Array.from(g.normal(30)));
  });

  it('validates arguments like PyTorch', () => {
    const g = new Generator();
    expect(() => g.uniform(3, 2, 1)).toThrow(/from=2 > to=1/);
    expect(() => g.normal(3, 0, -1)).toThrow(/std >= 0/);
    expect(() => g.randint(3, 5, 5)).toThrow(/less than/);
    expect(() => g.randint(3, 0, 2 ** 31 + 1)).toThrow(RangeError);
    expect(() => g.bernoulli(3, 1.5)).toThrow(RangeError);
    expect(() => g.dropoutMask(3, -0.1)).toThrow(RangeError);
    expect(() => g.randperm(-1)).toThrow(RangeError);
    expect(g.normal(0).length).toBe(0);
  });

  it('dropout with p = 0 or 1 consumes no random numbers', () => {
    const g = new Generator().manualSeed(3);
    const ref = new Generator().manualSeed(3).uniform(4);
    expect(Array.from(g.dropoutMask(10, 0))).toEqual(new Array(10).fill(1));
    expect(Array.from(g.dropoutMask(10, 1))).toEqual(new Array(10).fill(0));
    expect(Array.from(g.uniform(4))).toEqual(Array.from(ref));
  });

  it('the vectorized normal path does not use or clear the cached scalar sample', () => {
    const a = new Generator().manualSeed(9);
    a.normal(1);
    a.normal(32);
    const cachedNext = a.normal(1)[0];
    const b = new Generator().manualSeed(9);
    const pair = b.normal(2);
    expect(cachedNext).toBe(pair[1]);
  });
});

describe('fmaf', () => {
  it('rounds once', () => {
    const f = Math.fround;
    // a*b + c exactly halfway between two floats in double, but the exact value is not:
    const a = f(1 + 2 ** -23);
    const b = f(1 + 2 ** -23);
    const c = f(-1);
    expect(fmaf(a, b, c)).toBe(2 ** -22); // exact 2^-22 + 2^-46 rounds to 2^-22
    expect(fmaf(2, 3, 1)).toBe(7);
    // product with a low bit that a separate rounding would lose
    const x = f(1 + 2 ** -12);
    expect(fmaf(x, x, f(-(1 + 2 ** -11)))).toBe(2 ** -24);
  });

  it('resolves double-rounding midpoints in the direction of the exact result', () => {
    const f = Math.fround;
    // a*b = 2^-24 + 2^-60: in double, 1 + a*b rounds to 1 + 2^-24, a float32 midpoint; the exact
    // value is above it, so the single-rounded result is 1 + 2^-23 (a naive fround gives 1).
    const a = f(2 ** -24 * (1 + 2 ** -12));
    const b = f(1 - 2 ** -12 + 2 ** -24);
    expect(a * b + 1).toBe(1 + 2 ** -24);
    expect(fmaf(a, b, 1)).toBe(1 + 2 ** -23);
    expect(fmaf(-a, b, -1)).toBe(-(1 + 2 ** -23));
  });

  it('agrees with an exact BigInt reference on random inputs', () => {
    const f = Math.fround;
    const parts = (x: number): [bigint, number] => {
      // x = m * 2^e with integer m (float32 inputs: 24-bit m)
      if (x === 0) return [0n, 0];
      let e = Math.floor(Math.log2(Math.abs(x))) - 23;
      let m = x / 2 ** e;
      while (!Number.isInteger(m)) {
        e -= 1;
        m = x / 2 ** e;
      }
      return [BigInt(m), e];
    };
    const exactFmaf = (a: number, b: number, c: number): number => {
      const [ma, ea] = parts(a);
      const [mb, eb] = parts(b);
      const [mc, ec] = parts(c);
      const ep = ea + eb;
      const e = Math.min(ep, ec);
      let m = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
      if (m === 0n) return 0;
      const neg = m < 0n;
      if (neg) m = -m;
      const len = m.toString(2).length;
      let shift = 0;
      if (len > 24) {
        shift = len - 24;
        let q = m >> BigInt(shift);
        const rem = m - (q << BigInt(shift));
        const half = 1n << BigInt(shift - 1);
        if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
        m = q;
      }
      const r = Number(m) * 2 ** (e + shift);
      return neg ? -r : r;
    };
    let state = 12345;
    const rnd = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const randFloat = (spread: number): number =>
      f((rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** Math.floor((rnd() - 0.5) * spread));
    for (let i = 0; i < 20000; i++) {
      const a = randFloat(20);
      const b = randFloat(20);
      const c = i % 3 === 0 ? f(-a * b * (1 + (rnd() - 0.5) * 2 ** -20)) : randFloat(60);
      expect(fmaf(a, b, c)).toBe(exactFmaf(a, b, c));
    }
  });
});

describe('AVX2 kernel FMA shortcut', () => {
  // avx2BoxMuller evaluates each fused multiply-add of log256_ps/sincos256_ps as
  // fround(a*b + c) (double arithmetic, one rounding to float32 at the end). That equals a true
  // float32 fma unless the double sum lands exactly on a float32 midpoint. Here we recompute the
  // kernel with the exact `fmaf` and compare. Every possible input of the two passes is a 24-bit
  // uniform, so DESCENT_EXHAUSTIVE=1 checks all 2^24 of them (a few seconds); by default a
  // stride plus the edges of every binade and of every argument-reduction interval.
  const f = Math.fround;
  const LOG_P = [
    7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
    2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
  ].map(f);
  // eslint-disable-next-line no-loss-of-precision -- copied verbatim from avx_mathfun.h; f32 rounds it anyway
  const SQRTHF = f(0.707106781186547524);
  const Q1 = f(-2.1219444e-4);
  const Q2 = f(0.693359375);
  const FOPI = f(1.27323954473516);
  // eslint-disable-next-line no-loss-of-precision -- copied verbatim from avx_mathfun.h; f32 rounds it anyway
  const DP = [f(-0.78515625), f(-2.4187564849853515625e-4), f(-3.77489497744594108e-8)];
  const SC = [f(-1.9515295891e-4), f(8.3321608736e-3), f(-1.6666654611e-1)];
  const CC = [f(2.443315711809948e-5), f(-1.388731625493765e-3), f(4.166664568298827e-2)];

  /** log256_ps(u1) for u1 = k * 2^-24, every fma exact (a literal transcription of avx_mathfun.h). */
  const buf = new Float32Array(1);
  const bitsView = new Uint32Array(buf.buffer);
  const log256 = (u1: number): number => {
    buf[0] = u1;
    const bits = bitsView[0];
    let e = f((bits >>> 23) - 127);
    bitsView[0] = (bits & ~0x7f800000) | 0x3f000000; // keep the mantissa, exponent of 0.5
    let x = buf[0];
    e = f(e + 1);
    const mask = x < SQRTHF;
    const tmp = mask ? x : 0;
    x = f(x - 1);
    e = f(e - (mask ? 1 : 0));
    x = f(x + tmp);
    const z = f(x * x);
    let y = LOG_P[0];
    for (let i = 1; i <= 8; i++) y = fmaf(y, x, LOG_P[i]);
    y = f(y * x);
    y = fmaf(y, z, f(e * Q1));
    y = fmaf(-z, 0.5, y);
    return fmaf(e, Q2, f(x + y));
  };

  /** sincos256_ps(x) for x >= 0, every fma exact. */
  const sincos = (x: number): [number, number] => {
    let j = Math.trunc(f(x * FOPI));
    j = (j + 1) & ~1;
    const y = j;
    const swapSin = (j & 4) !== 0;
    const polyMask = (j & 2) === 0;
    const signCos = (~(j - 2) & 4) !== 0;
    for (const dp of DP) x = fmaf(y, dp, x);
    const z = f(x * x);
    let c = fmaf(fmaf(CC[0], z, CC[1]), z, CC[2]);
    c = f(c * z);
    c = fmaf(c, z, -f(z * 0.5));
    c = f(c + 1);
    let s = fmaf(fmaf(SC[0], z, SC[1]), z, SC[2]);
    s = f(s * z);
    s = fmaf(s, x, x);
    let sin = polyMask ? s : c;
    let cos = polyMask ? c : s;
    if (swapSin) sin = -sin;
    if (signCos) cos = -cos;
    return [sin, cos];
  };

  const TWO_PI_F = f(2 * Math.PI);
  const reference = (u: number, u2: number, mean: number, std: number): [number, number] => {
    const radius = f(Math.sqrt(f(-2 * log256(f(1 - u)))));
    const [sin, cos] = sincos(f(TWO_PI_F * u2));
    return [fmaf(f(radius * cos), std, mean), fmaf(f(radius * sin), std, mean)];
  };

  it('matches a kernel with exact FMAs on every tested 24-bit input', async () => {
    const ks = new Set<number>();
    const exhaustive = process.env.DESCENT_EXHAUSTIVE === '1';
    if (!exhaustive) {
      for (let k = 0; k < 1 << 24; k += 61) ks.add(k);
      // both ends of every binade of u1 = 1 - u and of u, and around the SQRTHF split
      for (let b = 0; b <= 24; b++) {
        for (const center of [1 << b, Math.round(SQRTHF * (1 << b))]) {
          for (let d = -64; d <= 64; d++) {
            const k = center + d;
            if (k >= 0 && k < 1 << 24) {
              ks.add(k);
              ks.add((1 << 24) - 1 - k);
            }
          }
        }
      }
      // around the octant boundaries of theta * 4/pi (argument reduction switches there)
      for (let oct = 0; oct <= 8; oct++) {
        const k0 = Math.round((oct / 8) * (1 << 24));
        for (let d = -256; d <= 256; d++) if (k0 + d >= 0 && k0 + d < 1 << 24) ks.add(k0 + d);
      }
    }
    const list = exhaustive ? Array.from({ length: 1 << 24 }, (_, k) => k) : [...ks];
    while (list.length % 8 !== 0) list.push(0);
    const lanes = list.length;
    const blocks = lanes / 8;
    for (const [mean, std] of [
      [0, 1],
      [f(0.3), f(2.7)],
    ]) {
      const d = new Float32Array(blocks * 16);
      for (let i = 0; i < lanes; i++) {
        const b = i >>> 3;
        const l = i & 7;
        d[16 * b + l] = list[i] * 2 ** -24; // u -> u1 = 1 - u
        d[16 * b + 8 + l] = list[(i * 7919) % lanes] * 2 ** -24; // u2, another pairing
      }
      const input = d.slice();
      avx2BoxMuller(d, 0, blocks, mean, std);
      let bad = 0;
      let example = '';
      for (let i = 0; i < lanes; i++) {
        // let the test runner's worker breathe during the long exhaustive run
        if ((i & 0xfffff) === 0xfffff) await new Promise((resolve) => setTimeout(resolve, 0));
        const b = i >>> 3;
        const l = i & 7;
        const [c, s] = reference(input[16 * b + l], input[16 * b + 8 + l], mean, std);
        if (!Object.is(c, d[16 * b + l]) || !Object.is(s, d[16 * b + 8 + l])) {
          if (bad++ === 0) example = `u=${input[16 * b + l]} u2=${input[16 * b + 8 + l]}`;
        }
      }
      expect(bad, `first mismatch at ${example}`).toBe(0);
    }
  }, 900_000);
});

// Speed belongs in `pnpm bench`, not in a timed unit test (a busy CI machine once took 1.9 s here).
describe('a long stream', () => {
  it('1e6 normals have mean 0 and standard deviation 1', () => {
    const out = new Generator().manualSeed(0).normal(1_000_000);
    expect(out.length).toBe(1_000_000);
    let sum = 0;
    let squares = 0;
    for (const v of out) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / out.length;
    expect(Math.abs(mean)).toBeLessThan(5e-3);
    expect(Math.abs(Math.sqrt(squares / out.length - mean * mean) - 1)).toBeLessThan(5e-3);
  });
});
