/** Number formatting for the table: 3 significant digits, in the workload's unit. */

export function threeSignificant(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

/** Formats a figure in the workload's unit ('us' per op, 's' per run, 'gflops', 'gbs' or 'steps' per second). */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return '-';
  if (unit === 'gflops') return `${threeSignificant(value)} GFLOP/s`;
  if (unit === 'gbs') return `${threeSignificant(value)} GB/s`;
  if (unit === 'steps') return `${threeSignificant(value)} steps/s`;
  return unit === 'us' ? `${threeSignificant(value)} µs` : `${threeSignificant(value)} s`;
}

/** `measured / target` (inverted for rates): at most 1 means the target is met. */
export function formatTargetRatio(measured, target, higherIsBetter = false) {
  if (measured === null || measured === undefined || target === null || target === undefined) return '-';
  const ratio = higherIsBetter ? target / measured : measured / target;
  return `${threeSignificant(ratio)}x ${ratio <= 1 ? '(met)' : '(over)'}`;
}

/** `peer / descent` (inverted for rates): above 1 means Descent is faster. */
export function formatSpeedup(descent, peer, higherIsBetter = false) {
  if (descent === null || descent === undefined || peer === null || peer === undefined) return '-';
  const speedup = higherIsBetter ? descent / peer : peer / descent;
  return speedup >= 1 ? `${threeSignificant(speedup)}x faster` : `${threeSignificant(1 / speedup)}x slower`;
}
