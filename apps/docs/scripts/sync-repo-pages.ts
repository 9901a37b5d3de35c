// Writes pages/generated/ from the repository's own markdown, run before every build: contributing.md from
// CONTRIBUTING.md, and benchmarks-cpu.md and benchmarks-gpu.md, the measurements in BENCHMARKS.md (which may not
// exist yet: the Performance page then says how to produce them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { benchmarkSection, toSiteFragment } from '../src/repo-pages.js';

const repoRoot = join(DOCS_ROOT, '..', '..');
const outDir = join(DOCS_ROOT, 'pages', 'generated');
mkdirSync(outDir, { recursive: true });

const contributing = join(repoRoot, 'CONTRIBUTING.md');
writeFileSync(
  join(outDir, 'contributing.md'),
  existsSync(contributing) ? toSiteFragment(readFileSync(contributing, 'utf8'), { dropTitle: true, backendAnchor: true }) : 'CONTRIBUTING.md is missing from the repository.\n',
);

const benchmarksPath = join(repoRoot, 'BENCHMARKS.md');
const benchmarks = existsSync(benchmarksPath) ? readFileSync(benchmarksPath, 'utf8') : '';
for (const [file, heading] of [['benchmarks-cpu.md', 'CPU'], ['benchmarks-gpu.md', 'GPU']] as const) {
  const section = benchmarkSection(benchmarks, heading);
  writeFileSync(
    join(outDir, file),
    section ?? `::: info No ${heading} figures yet\nRun the benchmarks as below to produce the numbers for your machine.\n:::\n`,
  );
}

console.log(`sync-repo-pages: wrote pages/generated/ (BENCHMARKS.md ${benchmarks ? 'included' : 'not present yet'})`);
