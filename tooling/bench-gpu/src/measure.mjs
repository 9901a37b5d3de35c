/**
 * Timing on an asynchronous device. Each sample enqueues `iters` runs and then waits for the device (the caller's
 * `runBatch` ends with a synchronize), so a sample measures work done, not work queued. Warm-up runs come first
 * (shader compilation, buffer pools, V8 optimization); the figure is the median sample. `iters` is calibrated so
 * that a sample lasts at least `minSampleSeconds`, which keeps the fixed cost of one synchronize out of fast ops.
 */

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Why a figure is missing; printed in its cell. */
export class Skipped {
  constructor(reason) {
    this.reason = reason;
  }
}

/**
 * Times `runBatch(iters)` (async: enqueue `iters` runs, then synchronize). Returns seconds per run: the median and
 * every sample, or a `Skipped` when the warm-up alone spent the budget.
 */
export async function timeBatches(runBatch, { warmup, reps, budgetSeconds, minSampleSeconds = 0.2, maxIters = 1000, now = () => performance.now() }) {
  const started = now();
  const elapsed = () => (now() - started) / 1000;
  let single = Infinity;
  for (let i = 0; i < Math.max(warmup, 1); i++) {
    const t0 = now();
    await runBatch(1);
    single = (now() - t0) / 1000;
    if (elapsed() > budgetSeconds) return new Skipped(`warm-up took ${elapsed().toFixed(0)} s > ${budgetSeconds} s budget`);
  }
  const iters = Math.max(1, Math.min(maxIters, Math.ceil(minSampleSeconds / single)));
  const samples = [];
  const cpuSamples = [];
  while (samples.length < reps && (samples.length === 0 || elapsed() + single * iters <= budgetSeconds)) {
    const cpu0 = process.cpuUsage();
    const t0 = now();
    await runBatch(iters);
    samples.push((now() - t0) / 1000 / iters);
    const cpu = process.cpuUsage(cpu0);
    cpuSamples.push((cpu.user + cpu.system) / 1e6 / iters);
  }
  const runs = Math.max(warmup, 1) + iters * samples.length;
  // Process CPU seconds per run: on a software adapter (lavapipe's threads are ours) it shows how much of the
  // wall time the machine actually gave us.
  return { seconds: median(samples), samples, cpuSeconds: median(cpuSamples), iters, reps: samples.length, runs };
}

/** Skips a size whose predicted time per run would not fit warm-up plus one sample in the budget. */
export function overBudget(predictedSeconds, { warmup, budgetSeconds }) {
  const needed = predictedSeconds * (Math.max(warmup, 1) + 1);
  return needed > budgetSeconds
    ? new Skipped(`~${needed.toFixed(0)} s > ${budgetSeconds} s budget`)
    : null;
}
