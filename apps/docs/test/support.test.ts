import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { browserSuiteCanRun, ENABLE_HINT } from './support/chromium.js';
import { compareNumbers, numbersIn } from '../src/examples/compare-numbers.js';
import { toSiteFragment } from '../src/repo-pages.js';

describe('compareNumbers', () => {
  it('reads every printed number', () => {
    expect(numbersIn('epoch 20  loss 82.7562, w = -1.5e-3 [ 11, 1 ]')).toEqual([20, 82.7562, -0.0015, 11, 1]);
  });

  it('accepts a last-digit difference and reports a real one', () => {
    expect(compareNumbers('loss 426.2924', 'loss 426.2922', 1e-4, 2e-4)).toBeNull();
    expect(compareNumbers('loss 426.9', 'loss 426.2922', 1e-4, 2e-4)).toBe('number #1: got 426.9, expected 426.2922');
    expect(compareNumbers('1 2', '1', 1e-4, 0)).toBe('printed 2 numbers, expected 1');
  });
});

describe('toSiteFragment', () => {
  const source = [
    '# Contributing',
    '',
    'See [DEVELOPERS.md](DEVELOPERS.md), [`tooling/bench`](tooling/bench), [the site](/guide/devices) and [web](https://example.com).',
    '',
    '```sh',
    '[not a link](x.md)',
    '```',
    '',
    '## Writing a new backend',
  ].join('\n');

  it('keeps site and web links, turns repository paths into code, anchors the backend section', () => {
    const fragment = toSiteFragment(source, { dropTitle: true, backendAnchor: true });
    expect(fragment).not.toContain('# Contributing');
    expect(fragment).toContain('See DEVELOPERS.md (`DEVELOPERS.md`), `tooling/bench`, [the site](/guide/devices) and [web](https://example.com).');
    expect(fragment).toContain('[not a link](x.md)');
    expect(fragment).toContain('## Writing a new backend {#write-a-backend}');
    expect(fragment.startsWith('<div v-pre>')).toBe(true);
  });
});

describe('browserSuiteCanRun', () => {
  const page = join(DOCS_ROOT, 'package.json');
  const missing = join(DOCS_ROOT, 'no-such-chromium');

  it('skips without CI, printing one line that says how to enable the suite', () => {
    const lines: string[] = [];
    expect(browserSuiteCanRun(page, { ci: false, chromium: missing, warn: (line) => lines.push(line) })).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(ENABLE_HINT);
    expect(ENABLE_HINT).toBe('bash apps/docs/scripts/install-chromium.sh');
  });

  it('fails in CI when Chromium is missing', () => {
    expect(() => browserSuiteCanRun(page, { ci: true, chromium: missing, warn: () => {} })).toThrow(/install-chromium\.sh/);
  });

  it('runs when Chromium and the page are there', () => {
    expect(browserSuiteCanRun(page, { ci: true, chromium: process.execPath, warn: () => {} })).toBe(true);
  });
});
