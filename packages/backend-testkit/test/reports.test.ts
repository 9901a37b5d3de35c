import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/**
 * Runs one fixture file in a child vitest (its failures are the point) and resolves to its per-test results. Async,
 * so this worker keeps answering vitest while the child runs (a blocking spawn starved it under load), and once
 * per file: tests reading the same fixture share its run.
 */
const runs = new Map<string, Promise<AssertionResult[]>>();
function runFixture(file: string): Promise<AssertionResult[]> {
  let run = runs.get(file);
  if (!run) {
    const outputFile = join(mkdtempSync(join(tmpdir(), 'testkit-')), 'report.json');
    const args = [vitestCli, 'run', file, '--config', join(fixtures, 'vitest.config.ts'), '--reporter=json', `--outputFile=${outputFile}`];
    run = new Promise<AssertionResult[]>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: fixtures, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => {
        try {
          const report = JSON.parse(readFileSync(outputFile, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
          resolve(report.testResults.flatMap((f) => f.assertionResults));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    runs.set(file, run);
  }
  return run;
}

const failed = (results: AssertionResult[]) => results.filter((r) => r.status === 'failed');

describe('runConformance reports', () => {
  it('one failing test per missing primitive, naming it, and skips the rest', async () => {
    const results = await runFixture('partial-backend.fixture.ts');
    const failures = failed(results);
    expect(failures.map((r) => r.fullName).sort()).toEqual([
      'partial backend conformance primitives implements matmul',
      'partial backend conformance primitives implements unary',
    ]);
    const message = (primitive: string) => failures.find((r) => r.fullName.endsWith(primitive))!.failureMessages.join();
    expect(message('matmul')).toContain("backend 'partial' does not implement primitive 'matmul' (no such method)");
    expect(message('unary')).toContain("backend 'partial' does not implement primitive 'unary' (unary is not implemented yet)");
    const matmulCases = results.filter((r) => r.fullName.startsWith('partial backend conformance matmul '));
    expect(matmulCases.length).toBeGreaterThan(10);
    expect(matmulCases.every((r) => r.status === 'skipped')).toBe(true);
    // Cases of other primitives that merely use unary are skipped too, not failed.
    expect(results.find((r) => r.fullName.endsWith('read observes earlier kernels in call order'))?.status).toBe('skipped');
    expect(results.filter((r) => r.status === 'passed').length).toBeGreaterThan(200);
  }, 60_000);

  it('an optional method the backend lacks is one skipped test saying so; those it has run', async () => {
    const results = await runFixture('partial-backend.fixture.ts');
    const adam = results.filter((r) => r.fullName.startsWith('partial backend conformance adamUpdate '));
    expect(adam.map((r) => [r.fullName, r.status])).toEqual([
      [
        "partial backend conformance adamUpdate adamUpdate is optional and not implemented by backend 'partial': the tensor layer composes it from primitives",
        'skipped',
      ],
    ]);
    for (const method of ['softmax', 'crossEntropy', 'sgdUpdate']) {
      const cases = results.filter((r) => r.fullName.startsWith(`partial backend conformance ${method} `));
      expect(cases.length).toBeGreaterThan(5);
      expect(cases.every((r) => r.status === 'passed')).toBe(true);
    }
  }, 60_000);

  it('a kernel bug fails the cases that exercise it, with the wrong values', async () => {
    const failures = failed(await runFixture('offset-bug.fixture.ts'));
    const names = failures.map((r) => r.fullName);
    expect(names).toContain('offset-bug backend conformance unary views exp float32 at an offset');
    expect(names.every((name) => name.startsWith('offset-bug backend conformance unary '))).toBe(true);
    expect(failures[0].failureMessages.join()).toMatch(/elements differ/);
  }, 60_000);

  it('the skip option registers matching tests as skipped', async () => {
    const results = await runFixture('skip-option.fixture.ts');
    const status = (fragment: string) => new Set(results.filter((r) => r.fullName.includes(fragment)).map((r) => r.status));
    expect(status(' primitives implements matmul')).toEqual(new Set(['skipped']));
    expect(status(' conformance matmul ')).toEqual(new Set(['skipped']));
    expect(status(' unary erf ')).toEqual(new Set(['skipped']));
    expect(status(' binary views ')).toEqual(new Set(['skipped']));
    expect(status(' unary exp ')).toEqual(new Set(['passed']));
    expect(failed(results)).toEqual([]);
  }, 60_000);

  it('an op added to the spec without a case fails by name', async () => {
    const messages = failed(await runFixture('new-ops.fixture.ts')).map((r) => r.failureMessages.join());
    expect(messages).toHaveLength(3);
    for (const op of ['softplus', 'hypot', 'mean']) {
      expect(messages.some((m) => m.includes(`expected a conformance case for op ${op}`))).toBe(true);
    }
  }, 60_000);
});
