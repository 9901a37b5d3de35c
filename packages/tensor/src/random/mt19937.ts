/**
 * MT19937 engine, bit-for-bit identical to PyTorch's `at::mt19937`
 * (aten/src/ATen/core/MT19937RNGEngine.h, PyTorch 1.13).
 *
 * - Seeding (`init_with_uint32`): the full uint64 seed is remembered (it is what
 *   `initial_seed()` reports) but only its low 32 bits initialise the state, with the
 *   classic Knuth recurrence `s[j] = 1812433253 * (s[j-1] ^ (s[j-1] >> 30)) + j`.
 * - `left = 1, next = 0` after seeding, so the first draw regenerates the whole block
 *   (`next_state`). The output sequence is therefore the same as `std::mt19937(seed & 0xffffffff)`.
 * - One call returns one tempered uint32 (`CPUGeneratorImpl::random()`).
 *   `CPUGeneratorImpl::random64()` takes two consecutive draws `hi`, then `lo`, and
 *   returns `(hi << 32) | lo` (`detail::make64BitsFrom32Bits(hi, lo)`).
 *
 * Everything here works on plain numbers (uint32 via `>>> 0` and `Math.imul`); BigInt is only
 * used for the 64-bit seed bookkeeping, never per draw.
 */

export const MT_STATE_N = 624;
const MT_STATE_M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

const UINT64_MASK = (1n << 64n) - 1n;

/**
 * Converts a seed to PyTorch's uint64 seed. Negative integers wrap modulo 2^64, exactly as
 * `torch.manual_seed(-1)` does (it reinterprets the int64 bit pattern as uint64).
 * Numbers must be safe integers; anything outside [-2^63, 2^64) is rejected like PyTorch does.
 */
export function toUint64Seed(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === 'bigint') {
    s = seed;
  } else {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be a safe integer or a bigint, got ${seed}`);
    }
    s = BigInt(seed);
  }
  if (s < -(1n << 63n) || s > UINT64_MASK) {
    throw new RangeError(`seed ${s} is outside the int64/uint64 range`);
  }
  return s & UINT64_MASK;
}

/** Serialisable engine state (mirrors `at::mt19937_data_pod`). */
export interface MT19937Data {
  seed: bigint;
  left: number;
  seeded: boolean;
  next: number;
  state: Uint32Array;
}

export class MT19937 {
  /** The 624-word state vector (`data_.state_`). */
  readonly state = new Uint32Array(MT_STATE_N);
  /** Draws remaining before the next twist, counted as PyTorch does (`left_`, 1..624). */
  left = 1;
  /** Index of the next word to temper (`next_`). */
  next = 0;
  seeded = false;
  private seed_ = 0n;

  constructor(seed: number | bigint = 5489) {
    this.reseed(seed);
  }

  /** `mt19937_engine::init_with_uint32` */
  reseed(seed: number | bigint): void {
    const s = toUint64Seed(seed);
    this.seed_ = s;
    this.seeded = true;
    const st = this.state;
    st[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < MT_STATE_N; j++) {
      const prev = st[j - 1];
      st[j] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** The uint64 seed this engine was last seeded with (`mt19937_engine::seed()`). */
  get seed(): bigint {
    return this.seed_;
  }

  /** One tempered 32-bit draw, as an unsigned number in [0, 2^32). */
  nextUint32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Fills `out[0..count)` with consecutive raw draws. Same sequence as calling `nextUint32`
   * `count` times; exists so bulk samplers avoid the per-call overhead.
   */
  fillUint32(out: Uint32Array, count: number = out.length): void {
    const st = this.state;
    let i = 0;
    while (i < count) {
      if (this.left === 1) {
        // the next draw triggers a twist, exactly as `--left == 0` would
        this.twist();
        this.left = MT_STATE_N + 1;
      }
      // draws available before the next twist: left - 1
      const avail = Math.min(this.left - 1, count - i);
      let n = this.next;
      for (let k = 0; k < avail; k++) {
        let y = st[n++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        out[i++] = y >>> 0;
      }
      this.next = n;
      this.left -= avail;
    }
  }

  /** `mt19937_engine::next_state` */
  private twist(): void {
    const st = this.state;
    this.left = MT_STATE_N;
    this.next = 0;
    let p = 0;
    for (let j = MT_STATE_N - MT_STATE_M; j > 0; j--, p++) {
      const u = st[p];
      const v = st[p + 1];
      const mix = (u & UMASK) | (v & LMASK);
      st[p] = st[p + MT_STATE_M] ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    }
    for (let j = MT_STATE_M - 1; j > 0; j--, p++) {
      const u = st[p];
      const v = st[p + 1];
      const mix = (u & UMASK) | (v & LMASK);
      st[p] = st[p + MT_STATE_M - MT_STATE_N] ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    }
    {
      const u = st[p];
      const v = st[0];
      const mix = (u & UMASK) | (v & LMASK);
      st[p] = st[p + MT_STATE_M - MT_STATE_N] ^ (mix >>> 1) ^ (v & 1 ? MATRIX_A : 0);
    }
  }

  /** A copy of the engine data (`mt19937_engine::data()`). */
  data(): MT19937Data {
    return {
      seed: this.seed_,
      left: this.left,
      seeded: this.seeded,
      next: this.next,
      state: this.state.slice(),
    };
  }

  /** Restores engine data (`mt19937_engine::set_data`), validating it like `is_valid()`. */
  setData(data: MT19937Data): void {
    if (data.state.length !== MT_STATE_N) {
      throw new RangeError(`mt19937 state must have ${MT_STATE_N} words`);
    }
    if (!data.seeded || !(data.left > 0 && data.left <= MT_STATE_N) || !(data.next >= 0 && data.next <= MT_STATE_N)) {
      throw new RangeError('invalid mt19937 engine state');
    }
    this.seed_ = data.seed & UINT64_MASK;
    this.seeded = data.seeded;
    this.left = data.left;
    this.next = data.next;
    this.state.set(data.state);
  }
}
