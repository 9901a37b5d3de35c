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
  target: 0.4,
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
};

/** Guards against timing a no-op: the last result must really be a + b. */
function checkSum(c, a, b) {
  for (let i = 0; i < 6; i++) {
    if (Math.abs(c[i] - (a[i] + b[i])) > 1e-6) throw new Error(`W3 computed a wrong sum at ${i}: ${c[i]}`);
  }
}
