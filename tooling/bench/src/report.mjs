import Table from 'cli-table3';
import { formatSpeedup, formatTargetRatio, formatValue, threeSignificant } from './format.mjs';

/** The side-by-side table: Descent (CPU backend) against tfjs-cpu on the same work, and against the target. */
export function printTable(rows) {
  const table = new Table({
    head: ['workload', 'target', 'Descent (cpu)', 'tfjs-cpu 4.22', 'Descent / target', 'Descent vs tfjs'],
    style: { head: [] },
  });
  for (const row of rows) {
    const descent = row.descent?.value ?? null;
    const tfjs = row.tfjs?.value ?? null;
    table.push([
      `${row.id} ${row.title}`,
      `<= ${formatValue(row.target, row.unit)}`,
      row.unavailable ?? formatValue(descent, row.unit),
      formatValue(tfjs, row.unit),
      formatTargetRatio(descent, row.target),
      formatSpeedup(descent, tfjs),
    ]);
  }
  console.log(table.toString());
  for (const row of rows) {
    if (row.descent?.finalLoss !== undefined && row.tfjs?.finalLoss !== undefined) {
      console.log(
        `${row.id} final loss: Descent ${threeSignificant(row.descent.finalLoss)}, tfjs ${threeSignificant(row.tfjs.finalLoss)}`,
      );
    }
  }
}
