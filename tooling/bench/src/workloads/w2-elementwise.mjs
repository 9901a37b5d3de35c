import { formatValue } from '../format.mjs';
import { timeRepeated } from '../measure.mjs';

/**
 * W2: `c = a*b + a` over two uniform [0, 1) float32 arrays of 1M and 16M elements, in GB/s counting 12 bytes per
 * element (read a and b, write c), unfused: two eager ops (jax-js under `jit`, with its eager figure in a note).
 * Higher is better. Each timed run does enough evaluations to last about 0.1 s on the faster side.
 */
const SIZES = [1 << 20, 1 << 24];
const TARGET_GBS = 12;

function evaluations(size) {
  return Math.max(2, Math.round(2 ** 23 / size));
}

function schedule(size) {
  return size >= 1 << 24 ? { warmups: 1, repetitions: 3 } : { warmups: 2, repetitions: 5 };
}

function inGbs(timing, size, count) {
  const bytes = 12 * size * count;
  return {
    value: bytes / timing.seconds / 1e9,
    cpu: bytes / timing.cpuSeconds / 1e9,
    samples: timing.samples.map((s) => bytes / s / 1e9),
  };
}

/** Guards against timing a no-op: a few elements recomputed in float32 must match exactly. */
function checkResult(c, a, b, size) {
  for (const i of [0, size >> 1, size - 1]) {
    const want = Math.fround(Math.fround(a[i] * b[i]) + a[i]);
    if (c[i] !== want) throw new Error(`W2 ${size}: wrong result ${c[i]} at ${i}, expected ${want}`);
  }
}

/**
 * jax-js `c = a*b + a` over `count` evaluations, each forced with `blockUntilReady()` before it is disposed (arrays
 * are lazy: one disposed unread might never be computed). `a.ref` keeps the inputs alive (functions consume their
 * arguments). Checks the last result against float32 arithmetic.
 */
async function timeJax(f, a, b, size, count) {
  const timing = await timeRepeated(async () => {
    for (let i = 0; i < count; i++) {
      const c = f(a.ref, b.ref);
      await c.blockUntilReady();
      c.dispose();
    }
  }, schedule(size));
  checkResult(f(a.ref, b.ref).dataSync(), a.ref.dataSync(), b.ref.dataSync(), size);
  return inGbs(timing, size, count);
}

function elementwiseWorkload(size) {
  const count = evaluations(size);
  const label = size >= 1 << 24 ? '16M' : '1M';
  return {
    id: 'W2',
    title: `a*b + a over ${label} float32, GB/s`,
    unit: 'gbs',
    higherIsBetter: true,
    target: TARGET_GBS,

    async descent(torch) {
      torch.manualSeed(0);
      const a = torch.rand(size);
      const b = torch.rand(size);
      let c;
      const timing = await timeRepeated(() => {
        for (let i = 0; i < count; i++) c = a.mul(b).add(a);
      }, schedule(size));
      checkResult(c.dataSync(), a.dataSync(), b.dataSync(), size);
      return inGbs(timing, size, count);
    },

    async tfjs(tf) {
      const a = tf.randomUniform([size]);
      const b = tf.randomUniform([size]);
      const step = () => tf.tidy(() => tf.add(tf.mul(a, b), a));
      const timing = await timeRepeated(() => {
        for (let i = 0; i < count; i++) step().dispose();
      }, schedule(size));
      const c = step();
      checkResult(c.dataSync(), a.dataSync(), b.dataSync(), size);
      c.dispose();
      a.dispose();
      b.dispose();
      return inGbs(timing, size, count);
    },

    /**
     * jax-js: the perf-anchor definition takes jax-js's figure under `jit` (one fused kernel, 12 bytes per element
     * actually moved); the eager figure (two kernels, as Descent and tfjs run it) is measured too and printed as a
     * note under the tables.
     */
    async jax({ random, jit }) {
      const a = random.uniform(random.key(0), [size]);
      const b = random.uniform(random.key(1), [size]);
      const fused = jit((x, y) => x.ref.mul(y).add(x));
      const jitted = await timeJax(fused, a, b, size, count);
      fused.dispose();
      const eager = await timeJax((x, y) => x.ref.mul(y).add(x), a, b, size, count);
      a.dispose();
      b.dispose();
      return { ...jitted, mode: 'jit', eager, note: `jit (fused); eager ${formatValue(eager.value, 'gbs')}` };
    },
  };
}

export const w2Elementwise = SIZES.map(elementwiseWorkload);
