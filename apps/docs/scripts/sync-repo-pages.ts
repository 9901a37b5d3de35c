// Writes pages/generated/{contributing,benchmarks,readme-commands}.md from the repository's CONTRIBUTING.md,
// BENCHMARKS.md (which may not exist yet: the Performance page then says how to produce it) and README.md.
// Run before every build.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { toSiteFragment } from '../src/repo-pages.js';

const repoRoot = join(DOCS_ROOT, '..', '..');
const outDir = join(DOCS_ROOT, 'pages', 'generated');
mkdirSync(outDir, { recursive: true });

const contributing = join(repoRoot, 'CONTRIBUTING.md');
writeFileSync(
  join(outDir, 'contributing.md'),
  existsSync(contributing) ? toSiteFragment(readFileSync(contributing, 'utf8'), { dropTitle: true, backendAnchor: true }) : 'CONTRIBUTING.md is missing from the repository.\n',
);

const benchmarks = join(repoRoot, 'BENCHMARKS.md');
writeFileSync(
  join(outDir, 'benchmarks.md'),
  existsSync(benchmarks)
    ? toSiteFragment(readFileSync(benchmarks, 'utf8'), { dropTitle: true })
    : '::: info No benchmark tables yet\nThe repository has no `BENCHMARKS.md` yet. Run the benchmarks as below to produce the numbers for your machine.\n:::\n',
);
// The README's "Try it" commands, so Getting started shows the same two lines.
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tryIt = /^## Try it\n[\s\S]*?(```sh\n[\s\S]*?```)/m.exec(readme)?.[1];
if (!tryIt) throw new Error("sync-repo-pages: README.md has no '## Try it' section with a ```sh block; update scripts/sync-repo-pages.ts");
writeFileSync(join(outDir, 'readme-commands.md'), `${tryIt}\n`);

console.log(`sync-repo-pages: wrote pages/generated/ (BENCHMARKS.md ${existsSync(benchmarks) ? 'included' : 'not present yet'})`);
