/**
 * `pnpm bench:gpu`: Descent's WebGPU backend next to tfjs-backend-webgpu 4.22 on the same Dawn adapter, in one
 * process, one workload at a time (both sides of a figure are measured back to back). Prints one table and
 * writes the full results as JSON (see results.mjs).
 */
import { loadavg } from 'node:os';
import { ensureDawnUnpacked } from './dawn.mjs';
import { initDescent } from './descent-side.mjs';
import { overBudget, Skipped, timeBatches } from './measure.mjs';
import { parseOptions, resolveOptions, USAGE } from './options.mjs';
import { cell, FIGURES, markdownTable, targetFor } from './report.mjs';
import { writeResults } from './results.mjs';
import { initTfjs } from './tfjs-side.mjs';

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

async function main() {
  const given = parseOptions();
  if (given.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const loadAtStart = loadavg();
  ensureDawnUnpacked();
  const descent = await initDescent();
  const software = SOFTWARE_ADAPTER.test(descent.info);
  const options = resolveOptions(given, software);
  let tfjs = null;
  let tfjsError = options.tfjs ? null : 'not run (--no-tfjs)';
  if (options.tfjs) {
    try {
      tfjs = await initTfjs(process.env.DESCENT_WEBGPU_ADAPTER === 'opengl' ? ['backend=opengles'] : ['backend=vulkan']);
    } catch (error) {
      tfjsError = firstLine(error);
    }
  }
  console.log(`Descent:     ${descent.info}`);
  console.log(`tfjs-webgpu: ${tfjs ? tfjs.info : `n/a (${tfjsError})`}`);
  console.log(`preset ${options.preset}${software ? ' (software adapter: targets are for a real GPU, not applicable here)' : ''}; ` +
    `${options.warmup} warm-up runs, median of up to ${options.reps} samples, ${options.budget} s budget per figure\n`);

  const rows = [];
  const sides = [['descent', descent], ['tfjs', tfjs]];
  const track = (row) => {
    rows.push(row);
    console.log(`  ${row.workload}: Descent ${cell(row.descent)} | tfjs ${cell(row.tfjs)}`);
  };

  if (options.only.includes('matmul')) {
    const last = {};
    for (const n of options.matmul) {
      const row = { id: `matmul-${n}`, workload: FIGURES.matmul(n).label, ...figureMeta(FIGURES.matmul(n)) };
      for (const [key, side] of sides) {
        const predicted = last[key] ? last[key].seconds * (n / last[key].n) ** 3 : 0;
        row[key] = await measureSide(side, key === 'tfjs' ? tfjsError : null, () => side.matmul(n), FIGURES.matmul(n), options, { predicted, descent });
        if (row[key].seconds) last[key] = { n, seconds: row[key].seconds };
      }
      track(row);
    }
  }
  if (options.only.includes('elementwise')) {
    const figure = FIGURES.elementwise(options.elementwise);
    const row = { id: 'elementwise', workload: figure.label, ...figureMeta(figure), n: options.elementwise };
    for (const [key, side] of sides) {
      row[key] = await measureSide(side, key === 'tfjs' ? tfjsError : null, () => side.elementwise(options.elementwise), figure, options, { descent });
    }
    track(row);
  }
  if (options.only.includes('chain')) {
    const figure = FIGURES.chain(options.chain);
    const row = { id: 'chain', workload: figure.label, ...figureMeta(figure), ops: options.chain };
    for (const [key, side] of sides) {
      row[key] = await measureSide(side, key === 'tfjs' ? tfjsError : null, () => side.chain(options.chain), figure, options, {
        descent,
        maxIters: 1,
        enqueuePerOp: options.chain,
      });
    }
    track(row);
  }
  if (options.only.includes('mlp')) {
    const figure = FIGURES.mlp(options.mlp, options.batch);
    const row = { id: 'mlp', workload: figure.label, ...figureMeta(figure), widths: options.mlp, batch: options.batch };
    let initial = null;
    let descentLosses = null;
    row.descent = await measureSide(descent, null, () => descent.mlp(options.mlp, options.batch), figure, options, {
      descent,
      minSampleSeconds: 0.5,
      async before(run) {
        initial = await descent.mlpInitialState(run);
        descentLosses = await run.losses(2);
      },
    });
    row.tfjs = await measureSide(tfjs, initial ? tfjsError : tfjsError ?? 'Descent side failed', () => tfjs.mlp(initial), figure, options, {
      minSampleSeconds: 0.5,
      async before(run) {
        const tfjsLosses = await run.losses(2);
        row.lossCheck = { descent: descentLosses, tfjs: tfjsLosses, maxAbsDiff: Math.max(...tfjsLosses.map((l, i) => Math.abs(l - descentLosses[i]))) };
      },
    });
    track(row);
  }

  const header = ['workload', 'Descent', 'tfjs-webgpu 4.22', 'Descent vs tfjs', software ? 'target (real GPU; n/a on lavapipe)' : 'target', ...(software ? [] : ['met'])];
  const tableRows = rows.map((row) => {
    const target = targetFor(row.id.split('-')[0], Number(row.id.split('-')[1]), options);
    const ratio = row.descent?.value && row.tfjs?.value ? (row.higherIsBetter ? row.descent.value / row.tfjs.value : row.tfjs.value / row.descent.value) : null;
    row.ratio = ratio;
    row.target = target.text;
    if (!software && target.check && row.descent?.value) row.met = target.check(row.descent.value, ratio ?? 0);
    const met = row.met === undefined ? '-' : row.met ? 'yes' : 'no';
    return [row.workload, cell(row.descent), cell(row.tfjs), ratio ? `${ratio.toFixed(2)}x` : '-', target.text, ...(software ? [] : [met])];
  });
  const table = markdownTable(header, tableRows);
  const notes = rows.filter((r) => r.lossCheck).map((r) => `MLP losses of the first two steps from the same weights: Descent ${r.lossCheck.descent.map((l) => l.toFixed(5)).join(', ')}; tfjs ${r.lossCheck.tfjs.map((l) => l.toFixed(5)).join(', ')}`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    // Lavapipe shares the CPU with everything else on the machine: load averages put its figures in context.
    loadAverage: { start: loadAtStart, end: loadavg() },
    device: { descent: descent.info, tfjs: tfjs ? tfjs.info : null, software },
    tfjsError,
    options,
    seconds: (performance.now() - started) / 1000,
    rows,
  };
  const fileName = options.custom ? 'subset.json' : `latest-${options.preset}.json`;
  const written = writeResults(results, [`Device: ${descent.info}`, '', table, '', ...notes].join('\n'), fileName);
  console.log(`\n${table}`);
  for (const note of notes) console.log(note);
  console.log(`\nDevice: ${descent.info}. Full results: ${written.join(', ')}`);
}

function figureMeta(figure) {
  return { unit: figure.unit, higherIsBetter: figure.higherIsBetter };
}

/** One side of one figure: set up, warm up, time, clean up; a failure or an over-budget size becomes its cell. */
async function measureSide(side, unavailable, make, figure, options, extra = {}) {
  if (unavailable || !side) return { error: unavailable ?? 'not available' };
  if (extra.predicted) {
    const skip = overBudget(extra.predicted, { warmup: options.warmup, budgetSeconds: options.budget });
    if (skip) return { skipped: skip.reason };
  }
  let run;
  try {
    run = make();
    if (extra.before) await extra.before(run);
    const statsBefore = side === extra.descent ? side.stats() : null;
    const timing = await timeBatches(run.runBatch, {
      warmup: options.warmup,
      reps: options.reps,
      budgetSeconds: options.budget,
      minSampleSeconds: extra.minSampleSeconds,
      maxIters: extra.maxIters,
    });
    if (timing instanceof Skipped) return { skipped: timing.reason };
    const result = { value: figure.value(timing.seconds), unit: figure.unit, ...timing, samples: timing.samples.map(figure.value) };
    if (statsBefore) {
      const after = side.stats();
      result.dispatchesPerRun = (after.dispatches - statsBefore.dispatches) / timing.runs;
      result.submitsPerRun = (after.submits - statsBefore.submits) / timing.runs;
    }
    if (extra.enqueuePerOp && run.enqueueSeconds?.length) {
      const sorted = run.enqueueSeconds.slice(-timing.reps * timing.iters).sort((a, b) => a - b);
      result.enqueueUsPerOp = (sorted[sorted.length >> 1] / extra.enqueuePerOp) * 1e6;
    }
    return result;
  } catch (error) {
    return { error: firstLine(error) };
  } finally {
    try {
      run?.dispose();
    } catch {
      // a failed side may leave nothing to dispose
    }
  }
}

function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0].slice(0, 200);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  },
);
