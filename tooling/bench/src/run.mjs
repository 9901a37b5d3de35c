/**
 * `pnpm bench`: Descent's CPU backend side by side with tfjs-cpu on the perf-anchor workloads (W1-W5 of
 * /work/shared/design/perf-anchors.md), in one process so the ratios compare like with like. Prints one table and
 * writes results/latest.json. `--only W3,W4` runs a subset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as torch from '@descent/torch';
import { loadTfjsCpu } from './tfjs.mjs';
import { printTable } from './report.mjs';
import { loadTrainingPackages } from './training-packages.mjs';
import { w1Matmul } from './workloads/w1-matmul.mjs';
import { w2Elementwise } from './workloads/w2-elementwise.mjs';
import { w3TinyAdd } from './workloads/w3-tiny-add.mjs';
import { w4ManualGd } from './workloads/w4-manual-gd.mjs';
import { w5LinearDataLoader } from './workloads/w5-linear-dataloader.mjs';

const WORKLOADS = [...w1Matmul, ...w2Elementwise, w3TinyAdd, w4ManualGd, w5LinearDataLoader];

function selectedWorkloads(argv) {
  const flag = argv.indexOf('--only');
  if (flag === -1) return WORKLOADS;
  const ids = new Set((argv[flag + 1] ?? '').split(',').map((id) => id.trim().toUpperCase()));
  const chosen = WORKLOADS.filter((w) => ids.has(w.id));
  if (chosen.length === 0) {
    throw new Error(`--only expects workload ids from ${WORKLOADS.map((w) => w.id).join(', ')}, e.g. --only W3,W4`);
  }
  return chosen;
}

/** Starting weights shared by both frameworks (seeded), so the final losses can be compared. */
function initialWeights() {
  torch.manualSeed(42);
  return { weights: torch.randn(2, 3).tolist(), biases: torch.randn(2).tolist() };
}

async function main() {
  const tf = await loadTfjsCpu();
  const training = await loadTrainingPackages(torch);
  const init = initialWeights();
  const rows = [];
  for (const workload of selectedWorkloads(process.argv)) {
    const { descent, tfjs, ...meta } = workload;
    const row = { ...meta };
    process.stdout.write(`${workload.id} ${workload.title}: Descent... `);
    if (workload.id === 'W5' && training.missing) {
      row.unavailable = 'n/a (package missing)';
      row.missing = training.missing;
    } else {
      row.descent = await descent.call(workload, torch, init, training);
    }
    if (workload.id === 'W5') row.packages = training.sources;
    process.stdout.write('tfjs... ');
    row.tfjs = await tfjs.call(workload, tf, init);
    console.log('done');
    if (row.descent) {
      // Both ratios read "at most 1 meets the target" and "above 1 is Descent ahead", whichever way the unit goes.
      row.descentOverTarget = row.higherIsBetter ? row.target / row.descent.value : row.descent.value / row.target;
      row.tfjsOverDescent = row.higherIsBetter ? row.descent.value / row.tfjs.value : row.tfjs.value / row.descent.value;
    }
    rows.push(row);
  }
  printTable(rows);
  // A subset run must not replace the full record: it goes to results/subset.json (git-ignored).
  writeResults(rows, rows.length === WORKLOADS.length ? 'latest.json' : 'subset.json');
}

function writeResults(rows, name) {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: os.loadavg(),
    units: { us: 'microseconds per op (median)', s: 'seconds per run (median)', gflops: 'GFLOP/s (median run)', gbs: 'GB/s, 12 bytes per element (median run)' },
    workloads: rows,
  };
  const file = new URL(name, dir);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${file.pathname}`);
}

await main();
