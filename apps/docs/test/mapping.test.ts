import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '@descent/torch';
import { describe, expect, it } from 'vitest';
import { checkMapping, exportedPaths, referencedNames, tableCells } from '../src/mapping/check-mapping.js';
import { DOCS_ROOT } from '../src/examples/run-example.js';

const PAGE = join(DOCS_ROOT, 'pages', 'guide', 'from-pytorch.md');

describe('the "From PyTorch" table', () => {
  const report = checkMapping(readFileSync(PAGE, 'utf8'), torch as unknown as Record<string, unknown>, torch.Tensor, torch.zeros(1));

  it('has a row for every export of @descent/torch and every Tensor method', () => {
    expect(report.missing, 'add a row for each to apps/docs/pages/guide/from-pytorch.md (Descent column, in a code span)').toEqual([]);
  });

  it('names nothing that @descent/torch does not export', () => {
    expect(report.unknown, 'these are in apps/docs/pages/guide/from-pytorch.md but not in @descent/torch: rename or remove them').toEqual([]);
  });

  it('covers the namespaces of torch', () => {
    const paths = exportedPaths(torch as unknown as Record<string, unknown>);
    for (const namespace of ['torch.nn.functional.', 'torch.nn.init.', 'torch.optim.lrScheduler.', 'torch.utils.data.', 'torch.autograd.', 'torch.webgpu.']) {
      expect(paths.some((p) => p.startsWith(namespace)), namespace).toBe(true);
    }
  });
});

describe('the table parser', () => {
  it('splits cells, keeping pipes inside code spans', () => {
    expect(tableCells('| `a \\| b` | `torch.x` | note |')).toEqual(['`a \\| b`', '`torch.x`', 'note']);
  });

  it('reads torch paths and tensor members from the Descent column only', () => {
    const names = referencedNames(
      ['| PyTorch | Descent | Notes |', '|---|---|---|', '| `torch.zeros` | `new torch.nn.Linear(3, 2)`, `x.sum(1).mean()` | `torch.ones` |'].join('\n'),
    );
    expect([...names].sort()).toEqual(['torch.nn.Linear', 'x.sum']);
  });

  it('reports a missing row and an unknown name', () => {
    const page = '| PyTorch | Descent | Notes |\n|---|---|---|\n| `a` | `torch.zeros`, `torch.zeroes`, `x.sum` | |';
    const fake = { zeros: () => 0, ones: () => 1 };
    class FakeTensor {
      sum(): void {}
      mean(): void {}
    }
    const report = checkMapping(page, fake, FakeTensor, {});
    expect(report).toEqual({ missing: ['torch.ones', 'x.mean'], unknown: ['torch.zeroes'] });
  });
});
