import { describe, expect, it } from 'vitest';
import { runOk } from './run-cli.js';

describe('--help', () => {
  it('lists the programs and the global options', async () => {
    const { stdout } = await runOk(['--help']);
    expect(stdout).toMatch(/^Usage: descent-demo \[options\] \[command\]/);
    for (const name of ['gradient-descent', 'crop-yields', 'linear-fit', 'devices', '--device <device>', '--no-progress']) {
      expect(stdout).toContain(name);
    }
  });

  it.each([
    ['gradient-descent', ['--seed <n>', '--epochs <n>', '--device <device>']],
    ['crop-yields', ['--manual-seed <n>', '--lr <x>', '--epochs <n>', '--batch-size <n>', '--notebook <id>', '--device <device>']],
    ['linear-fit', ['--save <path>', '--load <path>', '--plot <base>', '--no-plot', '--device <device>']],
  ])('%s --help names its options', async (program, options) => {
    const { stdout } = await runOk([program, '--help']);
    expect(stdout).toContain(`Usage: descent-demo ${program} [options]`);
    for (const option of options) expect(stdout).toContain(option);
  });
});
