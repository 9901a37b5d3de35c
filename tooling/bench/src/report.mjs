import os from 'node:os';
import Table from 'cli-table3';
import { formatSpeedup, formatTargetRatio, formatValue, threeSignificant } from './format.mjs';

/** Wall time above this multiple of CPU time means other processes took our core: wall figures are inflated. */
const BUSY_RATIO = 1.3;

function measured(result, unit) {
  if (!result) return '-';
  return `${formatValue(result.value, unit)} (cpu ${threeSignificant(result.cpu)})`;
}

/** The side-by-side table: Descent (CPU backend) against tfjs-cpu on the same work, and against the target. */
export function printTable(rows) {
  const table = new Table({
    head: ['workload', 'target', 'Descent (cpu)', 'tfjs-cpu 4.22', 'Descent / target', 'Descent vs tfjs'],
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    const descent = row.descent?.value ?? null;
    const tfjs = row.tfjs?.value ?? null;
    table.push([
      `${row.id} ${row.title}`,
      `${row.higherIsBetter ? '>=' : '<='} ${formatValue(row.target, row.unit)}`,
      row.unavailable ?? measured(row.descent, row.unit),
      measured(row.tfjs, row.unit),
      formatTargetRatio(descent, row.target, row.higherIsBetter),
      formatSpeedup(descent, tfjs, row.higherIsBetter),
    ]);
  }
  console.log(table.toString());
  console.log('Medians of wall time (performance.now()); "cpu" is the median process CPU time of the same runs.');
  for (const row of rows) {
    if (row.descent?.finalLoss !== undefined && row.tfjs?.finalLoss !== undefined) {
      console.log(
        `${row.id} final loss: Descent ${threeSignificant(row.descent.finalLoss)}, tfjs ${threeSignificant(row.tfjs.finalLoss)}`,
      );
    }
  }
  // Wall over CPU time; for rates (GFLOP/s) the figures are inverse times, so the ratio flips.
  const busiest = Math.max(
    ...rows.flatMap((row) =>
      [row.descent, row.tfjs].filter(Boolean).map((r) => (row.higherIsBetter ? r.cpu / r.value : r.value / r.cpu)),
    ),
  );
  if (busiest > BUSY_RATIO) {
    console.log(
      `warning: the machine was busy (wall time up to ${threeSignificant(busiest)}x CPU time, load average ` +
        `${threeSignificant(os.loadavg()[0])} on ${os.cpus().length} cores): absolute figures are inflated; compare ratios.`,
    );
  }
}
