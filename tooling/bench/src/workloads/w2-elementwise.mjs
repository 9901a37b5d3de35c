import { timeRepeated } from '../measure.mjs';

/**
 * W2: `c = a*b + a` over two uniform [0, 1) float32 arrays of 1M and 16M elements, in GB/s counting 12 bytes per
 * element (read a and b, write c), unfused: two eager ops. Higher is better. Each timed run does enough
 * evaluations to last about 0.1 s on the faster side.
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
  };
}

export const w2Elementwise = SIZES.map(elementwiseWorkload);
