import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** apps/docs. */
export const DOCS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES_DIR = join(DOCS_ROOT, 'examples');
export const PYTORCH_DIR = join(EXAMPLES_DIR, 'pytorch');
const TSX = join(DOCS_ROOT, 'node_modules', '.bin', 'tsx');

/** The example programs (`examples/*.ts`), by file name without the extension. */
export function listExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -'.ts'.length))
    .sort();
}

/** The committed output the docs show for an example. */
export const outputPath = (name: string): string => join(EXAMPLES_DIR, `${name}.out`);
/** The committed output of an example's PyTorch original, where it has one. */
export const pytorchOutputPath = (name: string): string => join(PYTORCH_DIR, `${name}.out`);

/**
 * Runs one example in its own Node process (so each starts from a fresh default generator) on the CPU backend,
 * and returns what it printed. Throws with its stderr when it fails.
 */
export async function runExample(name: string): Promise<string> {
  try {
    const { stdout } = await run(TSX, [join(EXAMPLES_DIR, `${name}.ts`)], {
      cwd: DOCS_ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`examples/${name}.ts failed: ${stderr || message}`);
  }
}

/** Runs an example's PyTorch original with `python` (which must import torch) and returns what it printed. */
export async function runPytorchExample(name: string, python: string): Promise<string> {
  const { stdout } = await run(python, [join(PYTORCH_DIR, `${name}.py`)], { cwd: DOCS_ROOT, timeout: 300_000 });
  return stdout;
}
