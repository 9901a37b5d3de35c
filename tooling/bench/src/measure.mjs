/**
 * Timing helpers: warm-up runs first (so V8 has optimized the hot paths), then several timed repetitions, of
 * which we report the median (robust to a GC pause or a noisy neighbour on a shared machine).
 */

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `run()` `warmups` times untimed, then `repetitions` times timed; returns each timed run's seconds and their
 * median, and the median process CPU time (user + system, GC threads included): on a busy shared machine wall time
 * inflates while CPU time stays close to the work done, so the report flags runs where the two diverge. `run` may be async (a DataLoader that only iterates asynchronously) and may return a value (a final
 * loss) that we keep from the last repetition as a sanity check.
 */
export async function timeRepeated(run, { warmups, repetitions }) {
  for (let i = 0; i < warmups; i++) await run();
  const seconds = [];
  const cpuSeconds = [];
  let lastResult;
  // No forced gc() between repetitions: a full collection shrinks V8's young generation, which then made the
  // next repetition of W4 about 2x slower than a training loop ever runs. Garbage is collected as in real use.
  for (let i = 0; i < repetitions; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    lastResult = await run();
    seconds.push((performance.now() - start) / 1000);
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
  }
  return { seconds: median(seconds), samples: seconds, cpuSeconds: median(cpuSeconds), result: lastResult };
}

/** A timing in the workload's unit (`scale` 1 for seconds per run, 1e6 / ops for microseconds per op). */
export function inUnit(timing, scale = 1) {
  return {
    value: timing.seconds * scale,
    cpu: timing.cpuSeconds * scale,
    samples: timing.samples.map((s) => s * scale),
  };
}
