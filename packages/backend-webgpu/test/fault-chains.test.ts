import { describe, expect, it } from 'vitest';
import { Fault, mergeTaints, type Taint } from '../src/faults.js';

/**
 * A loop that never awaits never lets a fault settle, so each step's taint folds the last step's into a composite:
 * the chain is as deep as the loop is long. Walking it must not recurse.
 */
describe('taints of a loop that never awaits', () => {
  const steps = 100_000;
  /** Each step's taint is a composite of the last step's and the step's own fault (what `mergeTaints` folds to). */
  function chain(): { taint: Taint; leaves: Fault[] } {
    const leaves: Fault[] = [];
    let taint: Taint = [];
    for (let step = 0; step < steps; step++) {
      const fresh = new Fault(`op${step}`);
      leaves.push(fresh);
      taint = [Fault.all([...taint, fresh])];
    }
    return { taint, leaves };
  }

  it('folds into one composite per step once a taint passes eight faults', () => {
    let taint: Taint = [];
    for (let step = 0; step < 3; step++) taint = mergeTaints(taint, Array.from({ length: 8 }, () => new Fault('op')));
    expect(taint).toHaveLength(1);
    expect(taint[0].pending).toBe(true);
  });

  it('reads pending, then clean once every leaf settled, without overflowing the stack', async () => {
    const { taint, leaves } = chain();
    expect(taint[0].pending).toBe(true);
    const done = taint[0].settled();
    for (const leaf of leaves) leaf.settle(null);
    await done;
    expect(taint[0].clean).toBe(true);
    expect(taint[0].failure()).toBeNull();
  }, 60_000);

  it('finds the failed leaf at the bottom of the chain', () => {
    const { taint, leaves } = chain();
    leaves[3].settle(new RangeError('gather: index 7 is out of bounds for dimension 1 with size 3'));
    expect(taint[0].failure()).toBe(leaves[3]);
    expect(taint[0].raise().message).toBe('gather: index 7 is out of bounds for dimension 1 with size 3');
  }, 60_000);
});
