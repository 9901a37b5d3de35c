import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { DType } from '../src/index.js';

// Expected values: PyTorch 1.13 running test/fixtures/gen_dtypes.py.
const golden = JSON.parse(readFileSync(new URL('./fixtures/dtypes.json', import.meta.url), 'utf8'));
const DTYPES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64'] as DType[];

describe("PyTorch's dtypes", () => {
  it('promote as torch.promote_types does, for every pair', () => {
    for (const a of DTYPES) for (const b of DTYPES) expect([a, b, torch.promoteTypes(a, b)]).toEqual([a, b, golden.promote[a][b]]);
  });

  it('give torch.result_type with numbers and 0-d tensors', () => {
    for (const c of golden.result_type) {
      const t = torch.ones(2, { dtype: c.dtype });
      const other = c.kind === 'zero-dim' ? torch.ones([], { dtype: c.other }) : c.other;
      expect([c.dtype, c.kind, c.other, torch.resultType(t, other)]).toEqual([c.dtype, c.kind, c.other, c.result]);
    }
  });

  it('raise PyTorch\'s overflow error where a value does not fit, and convert as PyTorch where it does', () => {
    for (const c of golden.conversions) {
      const value = typeof c.value === 'string' ? Number(c.value.replace('inf', 'Infinity').replace('nan', 'NaN')) : c.value;
      const make = () => torch.tensor([value], { dtype: c.dtype });
      if (c.error) expect(make, `${c.value} as ${c.dtype}`).toThrow(c.error);
      else expect(make().tolist()).toEqual(c.result.map((r: number | string) => (r === 'inf' ? Infinity : r === '-inf' ? -Infinity : r)));
    }
  });

  it('compute integers exactly in int64 and wrap the small types as PyTorch does', () => {
    const v = golden.values;
    expect(torch.tensor([1700000000000, 1700000001000]).tolist()).toEqual(v.timestamps);
    expect(torch.arange(100000).sum().item()).toBe(v.arange_sum);
    expect(torch.tensor([65536]).mul(65536).tolist()).toEqual(v.square_65536);
    expect(torch.tensor([1, 2], { dtype: 'int32' }).sum().dtype).toBe(v.int32_sum_dtype);
    expect(torch.tensor([true, true, false]).sum().item()).toBe(v.bool_sum);
    expect(torch.tensor([250], { dtype: 'uint8' }).add(10).tolist()).toEqual(v.uint8_wrap);
    expect(torch.tensor([120], { dtype: 'int8' }).add(10).tolist()).toEqual(v.int8_wrap);
    expect(torch.tensor([2147483647], { dtype: 'int32' }).add(1).tolist()).toEqual(v.int32_wrap);
    expect(torch.tensor([1], { dtype: 'float64' }).div(3).tolist()).toEqual(v.float64_third);
    expect(torch.tensor([1, 3, 2], { dtype: 'float32' }).argmax().dtype).toBe(v.argmax_dtype);
    expect(torch.randint(0, 5, [3]).dtype).toBe(v.randint_dtype);
    expect(torch.tensor([1, 2, 3]).div(2).tolist()).toEqual(v.div_int);
    // Beyond 2^53 an int64 reads back as a bigint, its only exact form; item() refuses to round it.
    const big = torch.tensor([2n ** 62n]).add(1);
    expect(big.tolist()).toEqual(v.big_int64.map(BigInt));
    expect(() => big.item()).toThrow(/not exactly a JS number; read it with tolist\(\)/);
  });

  it("print as PyTorch's repr, naming every dtype but float32, int64 and bool", () => {
    for (const d of DTYPES) expect(torch.tensor([1, 2, 3]).to(d).toString()).toBe(golden.reprs[d]);
    expect(torch.tensor([1.5, 2.25], { dtype: 'float64' }).toString()).toBe(golden.reprs['float64 fraction']);
    expect(torch.tensor([2n ** 62n, -5n]).toString()).toBe(golden.reprs['int64 large']);
    expect(torch.tensor([], { dtype: 'int32' }).toString()).toBe(golden.reprs['empty int32']);
    expect(torch.tensor([], { dtype: 'int64' }).toString()).toBe(golden.reprs['empty int64']);
  });

  it('cast with .double(), .long(), .byte() and friends, refusing values the target cannot hold', () => {
    const x = torch.tensor([1.5, -2.5, 300], { dtype: 'float32' });
    expect([x.double().dtype, x.long().dtype, x.int().dtype, x.short().dtype, x.bool().dtype]).toEqual(['float64', 'int64', 'int32', 'int16', 'bool']);
    expect(x.long().tolist()).toEqual([1, -2, 300]);
    expect(x.type()).toBe('torch.FloatTensor');
    expect(x.long().type()).toBe('torch.LongTensor');
    expect(() => x.byte()).toThrow('value cannot be converted to type uint8 without overflow');
    expect(() => torch.tensor([3e9]).int()).toThrow('value cannot be converted to type int32 without overflow');
  });
});
