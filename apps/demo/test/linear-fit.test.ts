// `descent-demo linear-fit` against seed notebook 002 (y = 2x + 1) and PyTorch's trace in notebooks.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLOT_HEIGHT, PLOT_WIDTH, PNG_SCALE } from '../src/plot/fit-plot.js';
import { notebookCase } from './fixtures.js';
import { expectClose, numbersIn, runCli, runOk, tempDir, type CliResult } from './run-cli.js';

const dir = tempDir();
const plotBase = join(dir, 'plots', 'linear-fit');
const checkpoint = join(dir, 'model.safetensors');
let trained: CliResult;

beforeAll(async () => {
  trained = await runOk(['linear-fit', '--seed', '0', '--plot', plotBase, '--save', checkpoint]);
});

/** The `x, y, predicted` table rows. */
function predictions(lines: string[]): number[] {
  const start = lines.indexOf('x, y = 2x + 1, predicted:') + 1;
  return lines.slice(start, start + 11).map((line) => numbersIn(line)[2]);
}

describe('training', () => {
  it("prints 'epoch {}, loss {}' for every epoch, following PyTorch's losses", () => {
    const fixture = notebookCase('002 y=2x+1', 0);
    const epochLines = trained.lines.filter((l) => l.startsWith('epoch '));
    expect(epochLines).toHaveLength(100);
    fixture.losses.forEach((loss: number, i: number) => {
      const match = /^epoch (\d+), loss (\S+)$/.exec(epochLines[i]);
      expect(match, epochLines[i]).not.toBeNull();
      expect(Number(match![1])).toBe(i + 1);
      expectClose(Number(match![2]), loss, 1e-4, 0, `epoch ${i + 1}`);
    });
  });

  it("ends at PyTorch's parameters and predictions", () => {
    const fixture = notebookCase('002 y=2x+1', 0);
    const after = trained.lines.find((l) => l.startsWith('after training: '))!;
    const [weight, bias] = numbersIn(after);
    expectClose(weight, fixture.state.weight[0], 1e-5, 5e-5, 'weight');
    expectClose(bias, fixture.state.bias[0], 1e-5, 5e-5, 'bias');
    predictions(trained.lines).forEach((p, i) => expectClose(p, fixture.predicted[i], 1e-5, 5e-7, `prediction ${i}`));
  });
});

describe('the plot', () => {
  it('is a PNG of the expected size that decodes and shows the green data points and the blue fitted line', () => {
    expect(trained.lines).toContain(`Plot written to ${plotBase}.png (${PLOT_WIDTH * PNG_SCALE}x${PLOT_HEIGHT * PNG_SCALE}) and ${plotBase}.svg`);
    const png = PNG.sync.read(readFileSync(`${plotBase}.png`));
    expect([png.width, png.height]).toEqual([1600, 1000]);
    let nonWhite = 0;
    let greenish = 0;
    let bluish = 0;
    const colors = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      colors.add((r << 16) | (g << 8) | b);
      if (r < 240 || g < 240 || b < 240) nonWhite++;
      if (g > r + 40 && g > b + 40) greenish++;
      if (b > r + 40 && b > g + 20) bluish++;
    }
    const pixels = png.width * png.height;
    expect(nonWhite / pixels).toBeGreaterThan(0.02); // axes, grid, text, marks: far from blank
    expect(nonWhite / pixels).toBeLessThan(0.5); // and not a solid fill
    expect(greenish).toBeGreaterThan(500); // the 11 data points
    expect(bluish).toBeGreaterThan(500); // the dashed prediction line
    expect(colors.size).toBeGreaterThan(50); // anti-aliased drawing, not a flat image
  });

  it('is an SVG with a title, both axes and a legend', () => {
    const svg = readFileSync(`${plotBase}.svg`, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`width="${PLOT_WIDTH}"`);
    expect(svg).toContain('y = 2x + 1: true data and nn.Linear(1, 1) predictions');
    expect(svg).toContain('True data');
    expect(svg).toContain('Predictions');
    expect(svg).toMatch(/role-axis/);
    expect(svg).toMatch(/role-legend/);
  });
});

describe('--save and --load', () => {
  it('saves a checkpoint that --load restores: with --epochs 0 it predicts exactly what was saved', async () => {
    expect(trained.lines.at(-1)).toBe(`Saved the state dict to ${checkpoint}; a fresh model loaded from it predicts the same values`);
    const loaded = await runOk(['linear-fit', '--load', checkpoint, '--epochs', '0', '--no-plot']);
    expect(loaded.lines).toContain(`Loaded the parameters saved in ${checkpoint}`);
    expect(loaded.lines.filter((l) => l.startsWith('epoch '))).toEqual([]);
    expect(predictions(loaded.lines)).toEqual(predictions(trained.lines));
    expect(loaded.lines.find((l) => l.startsWith('before training: '))!.slice(7)).toBe(
      trained.lines.find((l) => l.startsWith('after training: '))!.slice(6),
    );
  });

  it('a file that is not a checkpoint gives a one-line error', async () => {
    const result = await runCli(['linear-fit', '--load', join(dir, 'plots', 'linear-fit.svg'), '--no-plot']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: safetensors: /);
  });
});
