// Expected strings are what CPython 3 prints for the same floats.
import { describe, expect, it } from 'vitest';
import { formatFixed, pythonRepr } from '../src/python-format.js';

describe("formatFixed: Python's format(x, '.Nf')", () => {
  it.each([
    [30, 8, '30.00000000'],
    [4.8000006675720215, 8, '4.80000067'],
    [1.9997903108596802, 3, '2.000'],
    [0.125, 2, '0.12'], // an exact tie rounds to even (JavaScript's toFixed gives 0.13)
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [2.675, 2, '2.67'], // the double just below 2.675
    [-0.0001, 3, '-0.000'],
    [-0, 2, '-0.00'],
    [9.9989515542984, 5, '9.99895'],
    [999.99999, 2, '1000.00'],
    [1e-7, 8, '0.00000010'],
    [NaN, 3, 'nan'],
    [-Infinity, 3, '-inf'],
  ])('format(%d, ".%if") is %s', (x, digits, expected) => {
    expect(formatFixed(x, digits)).toBe(expected);
  });
});

describe("pythonRepr: Python's repr(float)", () => {
  it.each([
    [0.30486929416656494, '0.30486929416656494'],
    [150.5708465576172, '150.5708465576172'],
    [0.0001, '0.0001'],
    [8.053186320466921e-5, '8.053186320466921e-05'],
    [1e-5, '1e-05'],
    [2, '2.0'],
    [-3.5, '-3.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
  ])('repr(%d) is %s', (x, expected) => {
    expect(pythonRepr(x)).toBe(expected);
  });
});
