import { timeRepeated } from '../measure.mjs';

/**
 * W1: square float32 matmul of uniform [0, 1) data, in GFLOP/s (2·n³ flops per product), at 64, 128, 256, 512 and
 * 1024. Higher is better, unlike the timed workloads. Each timed run does enough products to last about 0.1 s on
 * the faster side, so timer resolution does not matter at 64.
 */
const SIZES = [64, 128, 256, 512, 1024];
const TARGET_GFLOPS = 100;

function products(size) {
  return Math.max(1, Math.round(2 ** 30 / size ** 3));
}

function schedule(size) {
  return size >= 1024 ? { warmups: 1, repetitions: 3 } : { warmups: 2, repetitions: 5 };
}

/** GFLOP/s from a timing (wall and CPU), so the report reads it like the other rows. */
function inGflops(timing, size, count) {
  const flops = 2 * size ** 3 * count;
  return {
    value: flops / timing.seconds / 1e9,
    cpu: flops / timing.cpuSeconds / 1e9,
    samples: timing.samples.map((s) => flops / s / 1e9),
  };
}

/** Guards against timing a no-op: one output element recomputed in double must match. */
function checkProduct(c, a, b, size) {
  const row = size >> 1;
  const col = size - 1;
  let want = 0;
  for (let q = 0; q < size; q++) want += a[row * size + q] * b[q * size + col];
  const got = c[row * size + col];
  if (Math.abs(got - want) > 1e-4 * size) throw new Error(`W1 ${size}: wrong product ${got}, expected ${want}`);
}

function matmulWorkload(size) {
  const count = products(size);
  return {
    id: 'W1',
    title: `matmul ${size}x${size}, GFLOP/s`,
    unit: 'gflops',
    higherIsBetter: true,
    target: TARGET_GFLOPS,

    async descent(torch) {
      torch.manualSeed(0);
      const a = torch.rand(size, size);
      const b = torch.rand(size, size);
      let c;
      const timing = await timeRepeated(() => {
        for (let i = 0; i < count; i++) c = a.matmul(b);
      }, schedule(size));
      checkProduct(c.dataSync(), a.dataSync(), b.dataSync(), size);
      return inGflops(timing, size, count);
    },

    async tfjs(tf) {
      const a = tf.randomUniform([size, size]);
      const b = tf.randomUniform([size, size]);
      const timing = await timeRepeated(() => {
        for (let i = 0; i < count; i++) tf.matMul(a, b).dispose();
      }, schedule(size));
      const c = tf.matMul(a, b);
      checkProduct(c.dataSync(), a.dataSync(), b.dataSync(), size);
      c.dispose();
      a.dispose();
      b.dispose();
      return inGflops(timing, size, count);
    },

    /**
     * jax-js: `np.matmul` on its Wasm device. Arrays are lazy, so each product is forced with `blockUntilReady()`
     * (an await, the only way to wait without copying the result out) before it is disposed: a product disposed
     * unread might never run. `a.ref` keeps the inputs alive across calls (jax-js functions consume their args).
     */
    async jax({ numpy: np, random }) {
      const a = random.uniform(random.key(0), [size, size]);
      const b = random.uniform(random.key(1), [size, size]);
      const timing = await timeRepeated(async () => {
        for (let i = 0; i < count; i++) {
          const c = np.matmul(a.ref, b.ref);
          await c.blockUntilReady();
          c.dispose();
        }
      }, schedule(size));
      checkProduct(np.matmul(a.ref, b.ref).dataSync(), a.ref.dataSync(), b.ref.dataSync(), size);
      a.dispose();
      b.dispose();
      return inGflops(timing, size, count);
    },
  };
}

export const w1Matmul = SIZES.map(matmulWorkload);
