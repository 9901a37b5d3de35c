// Times every matmul configuration (src/kernels/matmul-config.ts) on shapes given as batch x m x k x n, on the
// adapter Dawn picks, and prints GFLOP/s per configuration: what the rule in `chooseMatmulConfig` is set from.
// A shape ending in aT or bT reads that operand transposed; the configuration 'rule' is the dispatcher's pick.
// Build first (`pnpm --filter @descent/backend-webgpu build`), then:
//   node packages/backend-webgpu/scripts/tune-matmul.mjs 1x1024x1024x1024 1x128x784x256bT --configs=simple,rule
import { readdirSync, readFileSync } from 'node:fs';
import { contiguousView } from '@descent/backend';
import { forceMatmulConfig, MATMUL_CONFIGS } from '../dist/kernels/matmul-config.js';
import { createNodeWebGPUBackend } from '../dist/node.js';

const shapes = process.argv.slice(2).filter((s) => !s.startsWith('--'));
const only = process.argv.find((s) => s.startsWith('--configs='))?.slice(10).split(',') ?? MATMUL_CONFIGS;
const seconds = Number(process.env.TUNE_SECONDS ?? 0.5);
const backend = await createNodeWebGPUBackend();

// CPU seconds of every thread but the main one: on lavapipe that is the shader work itself, which stays
// comparable when other processes share the cores (wall time does not); the main thread polls while it waits.
const workerSeconds = () => {
  let ticks = 0;
  for (const t of readdirSync('/proc/self/task')) {
    if (Number(t) === process.pid) continue;
    const fields = readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
};

// `transposed`: stored as [batch, cols, rows] and viewed transposed, as `w.t()` is.
const operand = (batch, rows, cols, transposed) => {
  const data = Float32Array.from({ length: batch * rows * cols }, () => Math.random());
  const view = transposed ? { shape: [batch, rows, cols], strides: [rows * cols, 1, rows], offset: 0 } : contiguousView([batch, rows, cols]);
  return { buffer: backend.upload(data, 'float32'), view, dtype: 'float32' };
};

for (const shape of shapes.length > 0 ? shapes : ['1x1024x1024x1024']) {
  const [batch, m, k, n] = shape.split('x').map((s) => parseInt(s, 10));
  const a = operand(batch, m, k, shape.includes('aT'));
  const b = operand(batch, k, n, shape.includes('bT'));
  const row = [];
  for (const config of only) {
    forceMatmulConfig(config === 'rule' ? null : config);
    let cpu = 0;
    const run = async (iters) => {
      const t0 = performance.now();
      const c0 = workerSeconds();
      for (let i = 0; i < iters; i++) backend.free(backend.matmul(a, b));
      await backend.synchronize();
      cpu = workerSeconds() - c0;
      return (performance.now() - t0) / 1000;
    };
    await run(1); // compile the pipeline
    let iters = 1;
    let t = await run(iters);
    while (t < seconds) {
      iters = Math.max(iters * 2, Math.ceil((iters * seconds) / Math.max(t, 1e-3)));
      t = await run(iters);
    }
    const gflop = (2 * batch * m * n * k * iters) / 1e9;
    row.push(`${config} ${(gflop / t).toFixed(2)} (${(gflop / cpu).toFixed(2)}/cpu-s)`);
  }
  console.log(`${shape}: ${row.join(' | ')} GFLOP/s (GFLOP per worker CPU second)`);
}
forceMatmulConfig(null);
backend.destroy();
