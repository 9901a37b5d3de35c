import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The built CLI: the tests check what a user runs, so they need `pnpm --filter @descent/demo build` first. */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the trailing empty one. */
  lines: string[];
  seconds: number;
}

/** Runs `node dist/cli.js ...args` to completion (stdout is a pipe, so no progress bar is drawn). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the demo first (pnpm --filter @descent/demo build)`);
  const started = performance.now();
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const lines = stdout.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        resolvePromise({ code, stdout, stderr, lines, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

/** Runs the CLI and fails the test, showing stderr, unless it exits 0. */
export async function runOk(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<CliResult> {
  const result = await runCli(args, options);
  expect(result.code, `descent-demo ${args.join(' ')} failed:\n${result.stderr}`).toBe(0);
  return result;
}

/** The lines of the section whose heading (a line starting with '## ') contains `title`. */
export function section(lines: string[], title: string): string[] {
  const start = lines.findIndex((line) => line.startsWith('## ') && line.includes(title));
  if (start < 0) throw new Error(`no section "${title}" in:\n${lines.join('\n')}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Every number in a piece of text, in order. */
export function numbersIn(text: string): number[] {
  return (text.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? []).map(Number);
}

/** |actual - expected| <= rtol * |expected| + atol, with both numbers in the failure message. */
export function expectClose(actual: number, expected: number, rtol: number, atol = 0, what = ''): void {
  expect(Math.abs(actual - expected), `${what} ${actual} vs ${expected}`.trim()).toBeLessThanOrEqual(rtol * Math.abs(expected) + atol);
}

/** A new empty directory for files a test makes (plots, checkpoints). */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'descent-demo-test-'));
}
