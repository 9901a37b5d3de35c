import { join } from 'node:path';
import { cropYields } from './programs/crop-yields/crop-yields.js';
import { BUILTIN_DEFAULTS, MANUAL_DEFAULTS } from './programs/crop-yields/defaults.js';
import { gradientDescent } from './programs/gradient-descent.js';
import { linearFit } from './programs/linear-fit/linear-fit.js';
import type { RunContext } from './run-context.js';

/**
 * What `pnpm demo` runs: each program once, seeded, so the numbers can be checked against PyTorch's
 * (the figures in brackets are PyTorch 1.13's for the same seeds).
 */
export async function tour(context: RunContext, outDir: string): Promise<void> {
  const { reporter } = context;
  const started = performance.now();
  reporter.print(`Descent demo: the seed notebooks, run on ${context.device}`);
  reporter.print();

  await gradientDescent(context, { seed: 0, epochs: 100 });
  reporter.print('[PyTorch, seed 0: Prediction after training:f(5) =  9.433]');
  reporter.print();

  await cropYields(context, { manual: { notebook: '004', ...MANUAL_DEFAULTS['004'] }, builtin: BUILTIN_DEFAULTS });
  reporter.print('[PyTorch: loss.sqrt() = 2.3694; fit with seed 0: prediction for [75, 63, 44] = [53.8325, 68.4270]]');
  reporter.print();

  await linearFit(context, { seed: 0, epochs: 100, lr: 0.01, logEvery: 10, plot: join(outDir, 'linear-fit') });
  reporter.print('[PyTorch, seed 0: epoch 100, loss 0.002746290760114789; weight = 2.0140, bias = 0.9025]');
  reporter.print();

  const seconds = (performance.now() - started) / 1000;
  reporter.print(`Tour finished in ${seconds.toFixed(1)} s. Run \`descent-demo --help\` for the programs and their options.`);
}
