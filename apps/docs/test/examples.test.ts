import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareNumbers } from '../src/examples/compare-numbers.js';
import { DOCS_ROOT, listExamples, outputPath, pytorchOutputPath, runExample } from '../src/examples/run-example.js';

const examples = listExamples();

/** Every markdown page of the site, as text. */
function pages(dir = join(DOCS_ROOT, 'pages')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === 'api' || entry.name === 'generated' ? [] : pages(join(dir, entry.name));
    return entry.name.endsWith('.md') ? [readFileSync(join(dir, entry.name), 'utf8')] : [];
  });
}

describe('examples', () => {
  it('has the examples the guides show', () => {
    expect(examples).toEqual(expect.arrayContaining(['first-tensor', 'first-training-loop', 'devices', '000-crop-yields', '004-crop-yields-seeded']));
  });

  it('shows every example and its output on some page', () => {
    const text = pages().join('\n');
    for (const name of examples) {
      expect(text, `no page includes examples/${name}.ts`).toContain(`examples/${name}.ts`);
      expect(text, `no page includes examples/${name}.out`).toContain(`examples/${name}.out`);
    }
  });

  // Each example runs in its own process; a changed number fails here (update with `pnpm run examples:update`).
  describe.concurrent.each(examples)('%s', (name) => {
    it('prints exactly the output the docs show', async () => {
      expect(existsSync(outputPath(name)), `examples/${name}.out is missing: run pnpm --filter @descent/docs run examples:update`).toBe(true);
      const printed = await runExample(name);
      expect(printed, `examples/${name}.ts printed something other than examples/${name}.out`).toBe(readFileSync(outputPath(name), 'utf8'));
    });

    it.runIf(existsSync(pytorchOutputPath(name)))('prints the numbers PyTorch printed for the same program', () => {
      // Committed outputs of the PyTorch originals (scripts/update-outputs.ts --pytorch): float32 sums taken in
      // another order may move the last printed digit, nothing more.
      const mismatch = compareNumbers(readFileSync(outputPath(name), 'utf8'), readFileSync(pytorchOutputPath(name), 'utf8'), 1e-4, 2e-4);
      expect(mismatch, `examples/${name}: Descent's numbers differ from PyTorch's`).toBeNull();
    });
  });
});
