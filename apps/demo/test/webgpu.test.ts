// Every program on --device webgpu prints what it prints on the CPU, to float32 tolerance.
// Locally, a machine without a WebGPU adapter skips these with a warning; with CI=true (CI installs lavapipe)
// a missing adapter fails them.
import { describe, expect, it } from 'vitest';
import { runCli, runOk, type CliResult } from './run-cli.js';

const probe = await runCli(['devices']);
const webgpuLine = probe.lines.find((line) => line.startsWith('webgpu: ')) ?? 'webgpu: (no answer from `descent-demo devices`)';
const adapterFound = webgpuLine.startsWith('webgpu: available');
const inCI = process.env.CI === 'true';
if (!adapterFound && !inCI) console.warn(`WebGPU demo tests skipped: ${webgpuLine}`);

const NUMBER = /-?\d+(?:\.(\d+))?(?:e[+-]?\d+)?/g;

/** The line with its numbers taken out and spacing collapsed (column widths follow the values). */
const skeleton = (line: string) => line.replace(NUMBER, '#').replace(/\s+/g, ' ');

/** Drops what only says where a tensor lives: `device='webgpu:0'` in its repr. */
const withoutDevice = (line: string) => line.replace(/, device='webgpu:0'/g, '');

/**
 * Same lines, same words, and numbers within rtol of each other, give or take one unit in the last printed place
 * (a value near a rounding boundary may print either way).
 */
function expectSameOutput(cpu: CliResult, gpu: CliResult, rtol: number): void {
  const gpuLines = gpu.lines.map(withoutDevice);
  expect(gpuLines.map(skeleton)).toEqual(cpu.lines.map(skeleton));
  cpu.lines.forEach((cpuLine, i) => {
    const expected = [...cpuLine.matchAll(NUMBER)];
    const actual = [...gpuLines[i].matchAll(NUMBER)];
    expected.forEach((match, j) => {
      const a = Number(actual[j][0]);
      const e = Number(match[0]);
      const lastPlace = match[1] && !/e/.test(match[0]) ? 10 ** -match[1].length : 0;
      expect(Math.abs(a - e), `line ${i + 1}: "${gpuLines[i]}" vs "${cpuLine}"`).toBeLessThanOrEqual(rtol * Math.abs(e) + lastPlace * 1.01);
    });
  });
}

describe.runIf(adapterFound || inCI)('--device webgpu', () => {
  it('finds an adapter (CI installs lavapipe: tooling/scripts/install-lavapipe.sh)', () => {
    expect(webgpuLine).toMatch(/^webgpu: available \(/);
  });

  it.each([
    ['gradient-descent --seed 0', ['gradient-descent', '--seed', '0'], 1e-5],
    ['crop-yields (004 manual model, DataLoader fit)', ['crop-yields'], 1e-4],
    ['crop-yields --notebook 000 --epochs 300', ['crop-yields', '--notebook', '000', '--epochs', '300', '--only', 'manual'], 1e-4],
    ['linear-fit --seed 0', ['linear-fit', '--seed', '0', '--no-plot'], 1e-3],
    // Small, so lavapipe (the CPU standing in for a GPU) finishes it in CI; the default run agrees too (2 epochs of
    // 300 per digit printed the same losses and accuracies on both devices).
    ['digits (a tiny run)', ['digits', '--train-per-digit', '20', '--test-per-digit', '10', '--epochs', '1', '--batch-size', '50', '--no-plot'], 1e-3],
  ])('%s agrees with the CPU', { timeout: 600_000 }, async (_name, args, rtol) => {
    const [cpu, gpu] = [await runOk([...args, '--device', 'cpu']), await runOk([...args, '--device', 'webgpu'])];
    expect(gpu.lines.some((line) => line.includes("device='webgpu:0'")) || args[0] !== 'crop-yields').toBe(true);
    expectSameOutput(cpu, gpu, rtol);
  });
});

it('without an adapter, --device webgpu fails with one line naming what is missing', async () => {
  // No Vulkan driver at all (an ICD file that does not exist), and Vulkan is the only backend tried.
  const result = await runCli(['gradient-descent', '--device', 'webgpu'], {
    env: { VK_ICD_FILENAMES: '/nonexistent/vulkan-icd.json', DESCENT_WEBGPU_ADAPTER: 'vulkan' },
  });
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  // Dawn itself may log driver warnings to stderr first; the demo's own report is one line, and no JS stack.
  const ours = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toMatch(/^error: --device webgpu is not available here: No WebGPU adapter found.*lavapipe/);
  expect(result.stderr).not.toMatch(/\.js:\d+/);
});
