// The API reference as built (scripts/build-api.ts, then VitePress): a page per class and per function, grouped
// on their module's page; class pages that start with the real constructor (not the call signature nn modules get
// from being callable); and the umbrella, `@descent/torch`, first in the index and the sidebar.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { codeBlocks, linkTargets, mainContent, sidebar, visibleText } from '../src/site/html.js';
import { builtPages } from '../src/site/user-facing-text.js';

const DIST = join(DOCS_ROOT, 'dist');
const API = join(DIST, 'api');
const built = existsSync(join(API, 'index.html'));
if (!built) {
  if (process.env.CI === 'true') throw new Error(`no built API reference at ${API}: the docs test builds it first (pnpm run docs:build)`);
  console.warn(`API reference test skipped: no built site at ${DIST}; run pnpm --filter @descent/docs run docs:build.`);
}

const page = (path: string): string => readFileSync(join(DIST, path), 'utf8');
/** A signature as one line: `new Linear(inFeatures, outFeatures, ...args): Linear;` (bias and device positionally or in options). */
const oneLine = (code: string): string => code.replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').replace(/\s*,\s*/g, ', ');

describe.runIf(built)('the API reference', () => {
  const classPages = builtPages(DIST).filter((p) => /^api\/.*\/classes\/[^/]+\.html$/.test(p));

  it('gives nn.Linear its own page, starting with its constructor', () => {
    const blocks = codeBlocks(mainContent(page('api/@descent/nn/classes/Linear.html')));
    expect(oneLine(blocks[0] ?? '')).toBe('new Linear(inFeatures, outFeatures, ...args): Linear;');
    // The callable module is described in words instead of with a `(...inputs): Tensor` signature.
    expect(visibleText(mainContent(page('api/@descent/nn/classes/Linear.html')))).toContain('Instances are callable: linear(input) runs linear.forward(input)');
  });

  it('starts every class page with a constructor, never a call or index signature', () => {
    expect(classPages.length).toBeGreaterThan(50);
    const wrong = classPages.filter((p) => !(codeBlocks(mainContent(page(p)))[0] ?? '').startsWith('new '));
    expect(wrong).toEqual([]);
  });

  it('gives a class its own page, not a section of its module page', () => {
    const nn = mainContent(page('api/@descent/nn/index.html'));
    expect(linkTargets(nn, '/api/@descent/nn/index.html')).toContain('/api/@descent/nn/classes/Linear.html');
    expect(codeBlocks(nn).filter((code) => code.startsWith('new '))).toEqual([]);
  });

  it("lists a module's functions in groups, each linking to the function's page", () => {
    const torch = mainContent(page('api/@descent/torch/index.html'));
    const text = visibleText(torch);
    for (const group of ['Creation', 'Reductions', 'Views and reshaping']) expect(text).toContain(` ${group} `);
    expect(linkTargets(torch, '/api/@descent/torch/index.html')).toContain('/api/@descent/torch/functions/zeros.html');
    expect(existsSync(join(API, '@descent', 'torch', 'functions', 'zeros.html'))).toBe(true);
    expect(codeBlocks(mainContent(page('api/@descent/torch/functions/zeros.html')))[0]).toMatch(/^function zeros\(/);
  });

  it('lists @descent/torch first in the index', () => {
    const links = linkTargets(mainContent(page('api/index.html')), '/api/index.html').filter((l) => l.startsWith('/api/@descent/'));
    expect(links[0]).toBe('/api/@descent/torch/');
    expect(links).toEqual(expect.arrayContaining(['/api/@descent/nn/', '/api/@descent/tensor/', '/api/@descent/backend/']));
  });

  it('lists @descent/torch first in the sidebar', () => {
    const text = visibleText(sidebar(page('api/index.html')));
    const modules = [...text.matchAll(/@descent\/[\w/-]+/g)].map((m) => m[0]);
    expect(modules[0]).toBe('@descent/torch');
    expect(modules).toContain('@descent/nn');
  });
});
