import { describe, expect, it } from 'vitest';
import { pyBool, pyFloat, pySize, pyString, pyTuple } from '../src/python-repr.js';

describe("Python's spelling of values in reprs", () => {
  it('pyFloat is repr(float)', () => {
    // Expected strings printed by Python 3: [repr(v) for v in values].
    const values = [1.0, 0.1, 1e16, 1.5e-5, 0.0001, 123456789012345680, -0, 1e22, 2.5, 1e-7, 12345.678, 9999999999999998, NaN, Infinity, 0.00012];
    const python = ['1.0', '0.1', '1e+16', '1.5e-05', '0.0001', '1.2345678901234568e+17', '-0.0', '1e+22', '2.5', '1e-07', '12345.678', '9999999999999998.0', 'nan', 'inf', '0.00012'];
    expect(values.map(pyFloat)).toEqual(python);
  });

  it('spells bools, strings, tuples and sizes', () => {
    expect([pyBool(true), pyBool(false)]).toEqual(['True', 'False']);
    expect(pyString('none')).toBe("'none'");
    expect([pyTuple([4]), pyTuple([2, 3])]).toEqual(['(4,)', '(2, 3)']);
    expect(pySize([2, 3])).toBe('torch.Size([2, 3])');
  });
});
