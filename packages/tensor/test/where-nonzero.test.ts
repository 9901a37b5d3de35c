import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

// Expected values: PyTorch 1.13 running test/fixtures/gen_where_nonzero.py.
interface Case {
  name: string;
  input: torch.NestedArray;
  where: unknown[];
  asTuple: unknown[];
  rows: unknown[];
  dtypes: string[];
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/where-nonzero.json', import.meta.url), 'utf8')) as { cases: Case[]; scalar: { nonzero: unknown[]; zero: unknown[] } };

describe('torch.where(cond) and nonzero(as_tuple=True)', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = torch.tensor(c.input);
    const where = torch.where(x);
    expect(where.map((t) => t.tolist())).toEqual(c.where);
    expect(where.map((t) => t.dtype)).toEqual(c.dtypes);
    expect(torch.nonzero(x, { asTuple: true }).map((t) => t.tolist())).toEqual(c.asTuple);
    expect(x.nonzero({ asTuple: true }).map((t) => t.tolist())).toEqual(c.asTuple);
    expect(torch.nonzero(x).tolist()).toEqual(c.rows);
    expect(x.nonzero().tolist()).toEqual(c.rows);
  });

  it('treats a 0-d input as 1-D, as PyTorch', () => {
    expect(torch.nonzero(torch.tensor(3), { asTuple: true }).map((t) => t.tolist())).toEqual(golden.scalar.nonzero);
    expect(torch.nonzero(torch.tensor(0), { asTuple: true }).map((t) => t.tolist())).toEqual(golden.scalar.zero);
  });

  it('still selects with three arguments, and names a missing one', () => {
    expect(torch.where(torch.tensor([true, false]), 1, 0).tolist()).toEqual([1, 0]);
    expect(() => (torch.where as unknown as (c: torch.Tensor, a: number) => torch.Tensor)(torch.tensor([true]), 1)).toThrow('expected a condition alone, or a condition and two values');
  });
});
