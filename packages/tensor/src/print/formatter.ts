// The element formatter of PyTorch 1.13 (_Formatter in torch/_tensor_str.py): one notation and one
// column width for every element of a tensor, chosen from the values that will be shown.

import type { DType } from '@descent/backend';
import type { PrintOptionValues } from './options.js';
import { pyExp, pyFixed } from './py-format.js';

export type PrintDtype = DType;

export class ElementFormatter {
  readonly floating: boolean;
  readonly dtype: PrintDtype;
  readonly precision: number;
  intMode = true;
  sciMode = false;
  width = 1;

  /** `values` are the elements that will be printed (the summarized data when summarizing). */
  constructor(elements: readonly (number | bigint)[], dtype: PrintDtype, options: PrintOptionValues) {
    this.dtype = dtype;
    this.floating = dtype === 'float32' || dtype === 'float64';
    this.precision = options.precision;

    if (!this.floating) {
      for (const v of elements) this.width = Math.max(this.width, this.formatPlain(v).length);
      return;
    }
    const values = elements as readonly number[];

    const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
    // PyTorch returns here, before the sciMode override: all-zero / non-finite tensors never use it.
    if (nonzeroFinite.length === 0) return;

    let min = Infinity;
    let max = 0;
    for (const v of nonzeroFinite) {
      min = Math.min(min, Math.abs(v));
      max = Math.max(max, Math.abs(v));
    }
    this.intMode = nonzeroFinite.every((v) => Math.ceil(v) === v);

    const wideRange = max / min > 1000 || max > 1e8;
    if (this.intMode) {
      // Integral floats print as '3.'; the '.' is counted in the width.
      if (wideRange) {
        this.sciMode = true;
        for (const v of nonzeroFinite) this.width = Math.max(this.width, pyExp(v, this.precision).length);
      } else {
        for (const v of nonzeroFinite) this.width = Math.max(this.width, pyFixed(v, 0).length + 1);
      }
    } else if (wideRange || min < 1e-4) {
      this.sciMode = true;
      for (const v of nonzeroFinite) this.width = Math.max(this.width, pyExp(v, this.precision).length);
    } else {
      for (const v of nonzeroFinite) this.width = Math.max(this.width, pyFixed(v, this.precision).length);
    }

    if (options.sciMode !== undefined) this.sciMode = options.sciMode;
  }

  /** One element, right-aligned to the common width (longer strings are not cut). */
  format(value: number | bigint): string {
    let s: string;
    if (typeof value === 'bigint' || !this.floating) s = this.formatPlain(value);
    else if (this.sciMode) s = pyExp(value, this.precision);
    else if (this.intMode) s = Number.isFinite(value) ? pyFixed(value, 0) + '.' : pyFixed(value, 0);
    else s = pyFixed(value, this.precision);
    return s.padStart(this.width, ' ');
  }

  /** Python's str() of an int or bool element. */
  private formatPlain(value: number | bigint): string {
    if (this.dtype === 'bool') return value ? 'True' : 'False';
    return String(value === 0 ? 0 : value);
  }
}
