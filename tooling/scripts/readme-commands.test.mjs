// The README's first shell block is what a newcomer pastes on a machine with only Node and npm: line one runs the
// demo, line two runs every test (and is what .ci/run runs). These checks keep both lines runnable as written.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The commands of the README's first ```sh block, comments stripped. */
function firstShellBlock() {
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(readme);
  if (!block) throw new Error('README.md has no ```sh block');
  return block[1].split('\n').filter(Boolean).map((line) => line.replace(/\s+#.*$/, '').trim());
}

describe("the README's set-up commands", () => {
  const [demo, test] = firstShellBlock();
  const pnpm = `npx --yes ${manifest.packageManager}`;

  it('need only Node and npm: npx fetches the pnpm that packageManager names', () => {
    expect(manifest.packageManager).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    expect(demo).toBe(`${pnpm} install && ${pnpm} demo`);
    expect(test).toBe(`${pnpm} install && ${pnpm} test`);
  });

  it('name root scripts that exist', () => {
    expect(manifest.scripts.demo).toContain('@descent/demo');
    expect(manifest.scripts.test).toContain('turbo run build typecheck lint test');
  });

  it('are what .ci/run runs: it reads the second line from the README itself', () => {
    const script = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const extract = /test_command="\$\((.*)\)"/.exec(script)?.[1];
    expect(extract).toBeDefined();
    expect(execFileSync('bash', ['-c', extract], { cwd: ROOT, encoding: 'utf8' }).trim()).toBe(test);
    expect(script).toContain('eval "$test_command"');
  });
});
