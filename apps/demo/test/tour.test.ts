import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runOk, tempDir } from './run-cli.js';

it('with no program, tours all three in under 30 seconds on the CPU and writes the plot', async () => {
  const cwd = tempDir();
  const result = await runOk([], { cwd });
  expect(result.seconds).toBeLessThan(30);
  const { lines } = result;
  expect(lines[0]).toBe('Descent demo: the seed notebooks, run on cpu');
  expect(lines).toContain('Prediction after training:f(5) =  9.433'); // 001, nn.Linear(1, 1), seed 0
  expect(lines).toContain('loss.sqrt() = 2.3694'); // 004
  expect(lines.some((l) => l.startsWith('Predicted yields (apples, oranges) for a new region [75, 63, 44]: tensor([53.8325, 68.4270]'))).toBe(true);
  expect(lines.filter((l) => l.startsWith('epoch ') && l.includes(', loss '))).toHaveLength(11); // 002, every 10th epoch
  expect(lines.at(-1)).toMatch(/^Tour finished in \d+\.\d s\. Run `descent-demo --help`/);
  expect(existsSync(join(cwd, 'out', 'linear-fit.png'))).toBe(true);
  expect(existsSync(join(cwd, 'out', 'linear-fit.svg'))).toBe(true);
  expect(result.stdout).not.toContain('\u001b['); // stdout is a pipe here: no progress bar, no escape codes
});
