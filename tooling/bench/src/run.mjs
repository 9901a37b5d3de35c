/**
 * `pnpm bench`: Descent's CPU backend side by side with tfjs-cpu, tfjs-wasm and jax-js (Wasm) on the perf-anchor
 * workloads (W1-W7 of /work/shared/design/perf-anchors.md), all in one process so the ratios compare like with like.
 * Prints one table per workload group and writes results/latest.json.
 * `--only W3,W4` runs a subset of workloads, `--peers tfjsWasm,jax` a subset of peers (Descent always runs); either
 * writes results/subset.json instead, so latest.json always holds a full run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as torch from '@descent/torch';
import { loadJax } from './jax.mjs';
import { PEERS, runPeer, selectedPeers } from './peers.mjs';
import { printTables } from './report.mjs';
import { loadTfjs } from './tfjs.mjs';
import { loadTrainingPackages } from './training-packages.mjs';
import { w1Matmul } from './workloads/w1-matmul.mjs';
import { w2Elementwise } from './workloads/w2-elementwise.mjs';
import { w3TinyAdd } from './workloads/w3-tiny-add.mjs';
import { w4ManualGd } from './workloads/w4-manual-gd.mjs';
import { w5LinearDataLoader } from './workloads/w5-linear-dataloader.mjs';
import { w6Mlp } from './workloads/w6-mlp.mjs';
import { w7LeNet } from './workloads/w7-lenet.mjs';

const WORKLOADS = [...w1Matmul, ...w2Elementwise, w3TinyAdd, w4ManualGd, w5LinearDataLoader, w6Mlp, w7LeNet];

function selectedWorkloads(argv) {
  const flag = argv.indexOf('--only');
  if (flag === -1) return WORKLOADS;
  const ids = new Set((argv[flag + 1] ?? '').split(',').map((id) => id.trim().toUpperCase()));
  const chosen = WORKLOADS.filter((w) => ids.has(w.id));
  if (chosen.length === 0) {
    throw new Error(`--only expects workload ids from ${[...new Set(WORKLOADS.map((w) => w.id))].join(', ')}, e.g. --only W3,W4`);
  }
  return chosen;
}

/** Starting weights shared by every framework for W4 and W5 (seeded), so the final losses can be compared. */
function initialWeights() {
  torch.manualSeed(42);
  return { weights: torch.randn(2, 3).tolist(), biases: torch.randn(2).tolist() };
}

/** Ratios that read "above 1 is Descent ahead" and "at most 1 meets the target", whichever way the unit goes. */
function ratios(row, peers) {
  if (!row.descent) return;
  const d = row.descent.value;
  if (row.target != null) row.descentOverTarget = row.higherIsBetter ? row.target / d : d / row.target;
  row.descentVs = {};
  for (const peer of peers) {
    const other = row[peer.key]?.value;
    if (peer.key === 'descent' || other == null) continue;
    row.descentVs[peer.key] = row.higherIsBetter ? d / other : other / d;
  }
  if (row.descentVs.tfjs != null) row.tfjsOverDescent = row.descentVs.tfjs;
}

async function main() {
  const workloads = selectedWorkloads(process.argv);
  const peers = selectedPeers(process.argv);
  const context = {
    torch,
    training: await loadTrainingPackages(torch),
    tfjs: await loadTfjs(),
    jax: await loadJax(),
    init: initialWeights(),
  };
  const rows = [];
  let descentFailed = false;
  for (const workload of workloads) {
    const { descent: _d, tfjs: _t, jax: _j, notPorted: _n, ...meta } = workload;
    const row = { ...meta, unavailable: {} };
    process.stdout.write(`${workload.id} ${workload.title}:`);
    for (const peer of peers) {
      process.stdout.write(` ${peer.key}...`);
      const outcome = await runPeer(peer, workload, context);
      if (outcome.result) row[peer.key] = outcome.result;
      else row.unavailable[peer.key] = outcome.unavailable;
      if (peer.key === 'descent' && outcome.unavailable?.startsWith('failed')) descentFailed = true;
    }
    if (workload.id === 'W5') row.packages = context.training.sources;
    console.log(' done');
    ratios(row, peers);
    rows.push(row);
  }
  printTables(rows, peers, legend(context, peers));
  const full = workloads.length === WORKLOADS.length && peers.length === PEERS.length;
  writeResults(rows, peers, context, full ? 'latest.json' : 'subset.json');
  if (descentFailed) {
    console.error('error: a Descent side failed (see the footnotes above)');
    process.exitCode = 1;
  }
}

/** How each peer ran, under the tables: threads are the first thing to check when comparing CPU figures. */
function legend({ tfjs, jax }, peers) {
  const has = (key) => peers.some((peer) => peer.key === key);
  const lines = [
    `Descent (cpu): @descent/torch on its default CPU backend; a "cpu" figure above the wall figure (a time) or below it (a rate) means it used more than one core.`,
  ];
  if (has('tfjsWasm') && !tfjs.wasm.unavailable) lines.push(`tfjs-wasm: ${tfjs.wasm.binary}, ${tfjs.wasm.threads} thread (tfjs-backend-wasm has no threads under Node).`);
  if (has('jax') && !jax.unavailable) lines.push(`jax-js: device ${jax.device}, ${jax.threads} thread (its worker pool needs a global Worker, which Node lacks); jit where noted.`);
  return lines;
}

function writeResults(rows, peers, context, name) {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const { tfjs, jax } = context;
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    loadAverage: os.loadavg(),
    peers: peers.map((peer) => ({
      ...peer,
      ...(peer.key === 'tfjsWasm' ? tfjs.wasm : {}),
      ...(peer.key === 'jax' ? (jax.unavailable ? { unavailable: jax.unavailable } : { device: jax.device, threads: jax.threads }) : {}),
    })),
    units: {
      us: 'microseconds per op (median)',
      s: 'seconds per run (median)',
      gflops: 'GFLOP/s (median run)',
      gbs: 'GB/s, 12 bytes per element (median run)',
      steps: 'training steps per second over the median epoch',
    },
    workloads: rows,
  };
  const file = new URL(name, dir);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${file.pathname}`);
}

await main();
