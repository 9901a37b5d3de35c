import os from 'node:os';
import Table from 'cli-table3';
import { formatSpeedup, formatTargetRatio, formatValue, threeSignificant } from './format.mjs';

/** Wall time above this multiple of CPU time means other processes took our core: wall figures are inflated. */
const BUSY_RATIO = 1.3;

/** One table per group, in this order; a workload's group is its id unless listed here. */
const GROUPS = [
  { ids: ['W1'], title: 'W1 matmul, square float32 (GFLOP/s = 2n^3/t, higher is better)' },
  { ids: ['W2'], title: 'W2 c = a*b + a (GB/s counting 12 bytes per element, higher is better)' },
  { ids: ['W3', 'W4', 'W5'], title: 'W3-W5 framework overhead and the seed notebooks (lower is better)' },
  { ids: ['W6'], title: 'W6 MLP training step (steps/s over the median epoch, higher is better)' },
  { ids: ['W7'], title: 'W7 LeNet-5 training step (steps/s over the median epoch, higher is better)' },
];

function measured(result, unit) {
  return `${formatValue(result.value, unit)} (cpu ${threeSignificant(result.cpu)})`;
}

/** The peer Descent compares worst against (the fastest one), as "0.31x vs jax-js". */
function bestPeer(row, peers) {
  const others = peers.filter((peer) => peer.key !== 'descent' && row[peer.key]);
  if (!row.descent || others.length === 0) return '-';
  const better = (a, b) => (row.higherIsBetter ? a > b : a < b);
  const best = others.reduce((a, b) => (better(row[b.key].value, row[a.key].value) ? b : a));
  return `${formatSpeedup(row.descent.value, row[best.key].value, row.higherIsBetter)} (${best.label})`;
}

/** The side-by-side tables: Descent against every peer on the same work, footnotes for every '-'. */
export function printTables(rows, peers, legend = []) {
  const footnotes = [];
  const footnote = (text) => {
    const index = footnotes.indexOf(text);
    if (index !== -1) return index + 1;
    footnotes.push(text);
    return footnotes.length;
  };
  const groups = GROUPS.map((group) => ({ ...group, rows: rows.filter((row) => group.ids.includes(row.id)) }));
  const listed = new Set(GROUPS.flatMap((group) => group.ids));
  for (const row of rows.filter((r) => !listed.has(r.id))) groups.push({ title: row.id, rows: [row] });
  for (const group of groups.filter((g) => g.rows.length > 0)) {
    const table = new Table({
      head: ['workload', 'target', ...peers.map((peer) => peer.label), 'Descent / target', 'Descent vs tfjs-cpu', 'Descent vs fastest peer'],
      style: { head: [], border: [] },
    });
    for (const row of group.rows) {
      table.push([
        `${row.id} ${row.title}`,
        row.target == null ? '-' : `${row.higherIsBetter ? '>=' : '<='} ${formatValue(row.target, row.unit)}`,
        ...peers.map((peer) =>
          row[peer.key] ? measured(row[peer.key], row.unit) : `- [${footnote(row.unavailable?.[peer.key] ?? 'not run')}]`,
        ),
        formatTargetRatio(row.descent?.value, row.target, row.higherIsBetter),
        formatSpeedup(row.descent?.value, row.tfjs?.value, row.higherIsBetter),
        bestPeer(row, peers),
      ]);
    }
    console.log(`\n${group.title}`);
    console.log(table.toString());
  }
  footnotes.forEach((text, i) => console.log(`[${i + 1}] ${text}`));
  console.log('Medians of wall time (performance.now()); "cpu" is the median process CPU time of the same runs, in the same unit.');
  console.log('"Descent vs X" above 1 means Descent is ahead of X on that row.');
  for (const line of legend) console.log(line);
  for (const row of rows) {
    const notes = peers.filter((peer) => row[peer.key]?.note).map((peer) => `${peer.label}: ${row[peer.key].note}`);
    if (notes.length > 0) console.log(`${row.id} ${row.title}: ${notes.join('; ')}`);
  }
  for (const row of rows) {
    const losses = peers.filter((peer) => row[peer.key]?.finalLoss !== undefined);
    if (losses.length > 0) {
      const text = losses.map((peer) => `${peer.label} ${row[peer.key].finalLoss.toPrecision(5)}`).join(', ');
      const how = row.lossNote ?? 'same start; must agree to about 3 digits, W5 shuffles differ';
      console.log(`${row.id} final loss (${how}): ${text}`);
    }
  }
  // Wall over CPU time; for rates (GFLOP/s) the figures are inverse times, so the ratio flips.
  const busiest = Math.max(
    ...rows.flatMap((row) =>
      peers
        .map((peer) => row[peer.key])
        .filter(Boolean)
        .map((r) => (row.higherIsBetter ? r.cpu / r.value : r.value / r.cpu)),
    ),
  );
  if (busiest > BUSY_RATIO) {
    console.log(
      `warning: the machine was busy (wall time up to ${threeSignificant(busiest)}x CPU time, load average ` +
        `${threeSignificant(os.loadavg()[0])} on ${os.cpus().length} cores): absolute figures are inflated; compare ratios.`,
    );
  }
}
