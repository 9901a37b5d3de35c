import { inUnit, timeRepeated } from '../measure.mjs';

/**
 * W3: the fixed cost of one tiny eager op, `a.add(b)` on two [2,3] float32 tensors, in microseconds per op.
 * This is pure framework overhead (dispatch, allocation, bookkeeping): the arithmetic is 6 additions.
 */
const OPS_PER_RUN = 200_000;
const SCHEDULE = { warmups: 3, repetitions: 7 };

export const w3TinyAdd = {
  id: 'W3',
  title: 'one [2,3] add, per op',
  unit: 'us',
  target: 0.2,
  reference: { pytorch: 0.9, tfjsCpu: 1.28 },

  async descent(torch) {
    torch.manualSeed(0);
    const a = torch.randn(2, 3);
    const b = torch.randn(2, 3);
    let last;
    const timing = await timeRepeated(() => {
      for (let i = 0; i < OPS_PER_RUN; i++) last = a.add(b);
    }, SCHEDULE);
    checkSum(last.dataSync(), a.dataSync(), b.dataSync());
    return inUnit(timing, 1e6 / OPS_PER_RUN);
  },

  /**
   * tfjs's fast path for a single op is `tf.add` followed by `dispose()`: measured here, wrapping batches of 1,000
   * adds in `tf.tidy` was the same to 20% slower (tidy tracks every tensor in a scope and disposes them at the end).
   */
  async tfjs(tf) {
    const a = tf.randomNormal([2, 3]);
    const b = tf.randomNormal([2, 3]);
    const timing = await timeRepeated(() => {
      for (let i = 0; i < OPS_PER_RUN; i++) tf.add(a, b).dispose();
    }, SCHEDULE);
    const c = tf.add(a, b);
    checkSum(c.dataSync(), a.dataSync(), b.dataSync());
    c.dispose();
    a.dispose();
    b.dispose();
    return inUnit(timing, 1e6 / OPS_PER_RUN);
  },

  /**
   * jax-js arrays are lazy: an add disposed unread is never computed (measured: 10 unread adds over 16M floats took
   * 1.3 ms, forced ones 180 ms). So each add here is forced with `await c.blockUntilReady()` before it is disposed,
   * which is what one eager op costs in jax-js; fewer ops per run, since each costs tens of microseconds. The inputs
   * are random (`np.ones` would be a folded constant that needs no kernel).
   */
  async jax({ random }) {
    const a = random.normal(random.key(0), [2, 3]);
    const b = random.normal(random.key(1), [2, 3]);
    const ops = OPS_PER_RUN / 100;
    const timing = await timeRepeated(async () => {
      for (let i = 0; i < ops; i++) {
        const c = a.ref.add(b.ref);
        await c.blockUntilReady();
        c.dispose();
      }
    }, SCHEDULE);
    checkSum(a.ref.add(b.ref).dataSync(), a.ref.dataSync(), b.ref.dataSync());
    a.dispose();
    b.dispose();
    return { ...inUnit(timing, 1e6 / ops), note: 'eager, each add forced with blockUntilReady (lazy arrays)' };
  },
};

/** Guards against timing a no-op: the last result must really be a + b. */
function checkSum(c, a, b) {
  for (let i = 0; i < 6; i++) {
    if (Math.abs(c[i] - (a[i] + b[i])) > 1e-6) throw new Error(`W3 computed a wrong sum at ${i}: ${c[i]}`);
  }
}
