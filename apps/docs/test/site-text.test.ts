// The built site (dist/, from `pnpm run docs:build`) says nothing meant for the people who built it: see
// src/site/user-facing-text.ts for the rules. The API reference and the pages made from the repository's markdown
// are checked as built, like every other page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { visibleText } from '../src/site/html.js';
import { builtPages, checkBuiltSite, checkText } from '../src/site/user-facing-text.js';

const DIST = join(DOCS_ROOT, 'dist');
const built = existsSync(join(DIST, 'index.html'));
if (!built) {
  if (process.env.CI === 'true') throw new Error(`no built site at ${DIST}: the docs test builds it first (pnpm run docs:build)`);
  console.warn(`Site text test skipped: no built site at ${DIST}; run pnpm --filter @descent/docs run docs:build.`);
}

describe('the rules', () => {
  it.each([
    ['guide/devices.html', 'the anchors are in /work/shared/design/perf-anchors.md'],
    ['guide/devices.html', 'written to /tmp/descent-1234/model.safetensors'],
    ['index.html', 'see issue #12 for the targets'],
    ['index.html', "the issue's targets are not met"],
    ['index.html', 'in this session we ported'],
    ['guide/performance.html', 'build it with pnpm turbo run build'],
    ['guide/performance.html', 'run pnpm --filter @descent/docs test'],
    ['guide/notebooks/000-crop-yields.html', 'Seed notebook 000 predicts crop yields'],
    ['guide/notebooks/000-crop-yields.html', 'checked against golden values'],
    ['guide/getting-started.html', "import * as torch from '@descent/torch'; // #region data"],
    ['guide/contributing.html', '// #endregion loop'],
  ])('%s: flags "%s"', (page, text) => {
    expect(checkText(page, text)).not.toEqual([]);
  });

  it.each([
    ['guide/contributing.html', 'run pnpm changeset, then pnpm --filter @descent/tensor test, against fixtures'],
    ['guide/from-pytorch.html', 'torch.manualSeed(0): the same seed draws the same numbers'],
    ['guide/devices.html', 'await torch.webgpu.init() once; the temperature (F) of each region'],
  ])('%s: allows "%s"', (page, text) => {
    expect(checkText(page, text)).toEqual([]);
  });

  it('reads the text a reader sees, not the markup', () => {
    expect(visibleText('<p>a &lt;b&gt; <code>/x</code></p><script>const p = "/work/x";</script>')).toBe(' a <b> /x ');
  });
});

describe.runIf(built)('the built site', () => {
  it('has the pages it should, with their text', () => {
    const pages = builtPages(DIST);
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'guide/getting-started.html', 'guide/contributing.html', 'api/index.html']));
    // Fragments the pages include are not pages of their own.
    expect(pages.filter((page) => page.startsWith('generated/'))).toEqual([]);
    expect(visibleText(readFileSync(join(DIST, 'guide', 'getting-started.html'), 'utf8'))).toContain('A first training loop');
  });

  it('says nothing meant for its builders on any page (guides, notebooks, generated pages, API reference)', () => {
    const findings = checkBuiltSite(DIST).map((f) => `${f.page}: ${f.rule}: …${f.context}…`);
    expect(findings).toEqual([]);
  });

  it("keeps the playground's default script (shown in the editor, not in the HTML) to the same rules", () => {
    const script = readFileSync(join(DOCS_ROOT, 'src', 'playground', 'default-script.js'), 'utf8');
    expect(checkText('playground.html', script)).toEqual([]);
  });
});
