import { describe, expect, it } from 'vitest';
import { median, overBudget, Skipped, timeBatches } from '../src/measure.mjs';
import { formatValue, FIGURES } from '../src/report.mjs';

describe('bench-gpu timing', () => {
  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('calibrates runs per sample and counts every run', async () => {
    // A fake clock: each run takes exactly 2 ms, however busy the machine is.
    let runs = 0;
    let clock = 0;
    const timing = await timeBatches(async (iters) => {
      runs += iters;
      clock += 2 * iters;
    }, { warmup: 2, reps: 3, budgetSeconds: 10, minSampleSeconds: 0.02, maxIters: 50, now: () => clock });
    expect(timing.reps).toBe(3);
    expect(timing.iters).toBe(10); // 20 ms per sample / 2 ms per run
    expect(timing.runs).toBe(runs);
    expect(timing.seconds).toBe(0.002);
  });

  it('skips what would not fit the budget', () => {
    expect(overBudget(1, { warmup: 2, budgetSeconds: 20 })).toBeNull();
    const skip = overBudget(10, { warmup: 2, budgetSeconds: 20 });
    expect(skip).toBeInstanceOf(Skipped);
    expect(skip.reason).toBe('~30 s > 20 s budget');
  });

  it('turns seconds per run into each figure', () => {
    expect(FIGURES.matmul(1024).value(2 * 1024 ** 3 / 1e12)).toBeCloseTo(1);
    expect(FIGURES.elementwise(2 ** 20).value((12 * 2 ** 20) / 1e9)).toBeCloseTo(1);
    expect(FIGURES.chain(1000).value(0.005)).toBeCloseTo(5);
    expect(formatValue(0.0123, 'TFLOP/s')).toBe('12.3 GFLOP/s');
    expect(formatValue(31.52, 'TFLOP/s')).toBe('31.5 TFLOP/s');
  });
});
