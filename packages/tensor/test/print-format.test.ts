import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTensor, PrintOptions, pyExp, pyFixed, setPrintOptions, type PrintDtype } from '../src/print/format.js';
import { loadFixture } from './fixtures.js';

interface GoldenTensor {
  shape: number[];
  dtype: 'float32' | 'int64' | 'bool';
  data: (number | string)[];
}

// int64 is PyTorch's default integer dtype, and Descent's.
const dtypeOf = (t: GoldenTensor): PrintDtype => t.dtype;
// print-extra.json spells non-finite values as strings ("NaN", "Infinity"); Number() reads both forms.
const dataOf = (t: GoldenTensor): number[] => t.data.map(Number);

afterEach(() => setPrintOptions({ profile: 'default' }));

describe('formatTensor: shared/fixtures/pytorch/print.json', () => {
  const cases = loadFixture('print').cases as {
    tensor: GoldenTensor;
    repr: string;
    requires_grad?: boolean;
    expr?: string;
  }[];

  it.each(cases.map((c, n) => [n, c] as const))('case %i', (_n, c) => {
    const suffixes: string[] = [];
    if (c.requires_grad) suffixes.push('requires_grad=True');
    const gradFn = /grad_fn=<\w+>\)$/.exec(c.repr);
    if (c.expr !== undefined && gradFn) suffixes.push(gradFn[0].slice(0, -1));
    expect(formatTensor(dataOf(c.tensor), c.tensor.shape, dtypeOf(c.tensor), suffixes)).toBe(c.repr);
  });
});

describe('formatTensor: test/fixtures/print-extra.json (tooling/fixtures/gen_print_extra.py)', () => {
  const path = new URL('./fixtures/print-extra.json', import.meta.url);
  const cases = (JSON.parse(readFileSync(path, 'utf8')) as {
    cases: {
      name: string;
      tensor: GoldenTensor;
      suffixes: string[];
      repr: string;
      options?: { precision?: number; threshold?: number; edgeitems?: number; linewidth?: number; sci_mode?: boolean; profile?: 'default' | 'short' | 'full' };
    }[];
  }).cases;

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.options) {
      const { sci_mode, ...rest } = c.options;
      setPrintOptions({ ...rest, sciMode: sci_mode });
    }
    expect(formatTensor(dataOf(c.tensor), c.tensor.shape, dtypeOf(c.tensor), c.suffixes)).toBe(c.repr);
  });
});

describe('setPrintOptions', () => {
  it('defaults to PyTorch defaults and resets sciMode when omitted, like torch.set_printoptions', () => {
    expect(PrintOptions).toEqual({ precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: undefined });
    setPrintOptions({ sciMode: true, precision: 2 });
    expect(PrintOptions.sciMode).toBe(true);
    setPrintOptions({ linewidth: 60 });
    expect(PrintOptions).toMatchObject({ precision: 2, linewidth: 60, sciMode: undefined });
  });
});

describe('pyFixed / pyExp match Python', () => {
  // Expected strings from CPython 3.11 '{:.Nf}' / '{:.Ne}'.
  it.each([
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [-0.0, 4, '-0.0000'],
    [-1e-5, 4, '-0.0000'],
    [1e21, 1, '1000000000000000000000.0'],
    [1.7976931348623157e308, 0, '179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368'],
    [5e-324, 4, '0.0000'],
    [NaN, 4, 'nan'],
    [-Infinity, 4, '-inf'],
  ])('pyFixed(%d, %i) = %s', (x, digits, expected) => expect(pyFixed(x, digits)).toBe(expected));

  it.each([
    [0, 4, '0.0000e+00'],
    [-0.0, 4, '-0.0000e+00'],
    [1.03125, 4, '1.0312e+00'],
    [1.03135, 4, '1.0313e+00'], // the double is just below the tie
    [9.99995, 4, '1.0000e+01'],
    [1e-5, 4, '1.0000e-05'],
    [1e100, 2, '1.00e+100'],
    [5e-324, 4, '4.9407e-324'],
    [123456, 0, '1e+05'],
    [Infinity, 4, 'inf'],
  ])('pyExp(%d, %i) = %s', (x, digits, expected) => expect(pyExp(x, digits)).toBe(expected));
});
