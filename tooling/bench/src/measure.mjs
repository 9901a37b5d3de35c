/**
 * Timing helpers: warm-up runs first (so V8 has optimized the hot paths), then several timed repetitions, of
 * which we report the median (robust to a GC pause or a noisy neighbour on a shared machine).
 */

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Collects garbage between repetitions when node runs with --expose-gc, so one run's garbage is not billed to the next. */
export function collectGarbage() {
  globalThis.gc?.();
}

/**
 * Runs `run()` `warmups` times untimed, then `repetitions` times timed; returns each timed run's seconds and their
 * median. `run` may be async (a DataLoader that only iterates asynchronously) and may return a value (a final
 * loss) that we keep from the last repetition as a sanity check.
 */
export async function timeRepeated(run, { warmups, repetitions }) {
  for (let i = 0; i < warmups; i++) await run();
  const seconds = [];
  let lastResult;
  for (let i = 0; i < repetitions; i++) {
    collectGarbage();
    const start = performance.now();
    lastResult = await run();
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds: median(seconds), samples: seconds, result: lastResult };
}
