// repr(tensor) exactly as PyTorch 1.13 prints it (torch/_tensor_str.py), as a pure function of the
// flattened data so that it does not depend on any Tensor class.

import { ElementFormatter, type PrintDtype } from './formatter.js';
import { PrintOptions, type PrintOptionValues } from './options.js';
import { defaultFloatDType } from '../dtype.js';

export { PrintOptions, setPrintOptions } from './options.js';
export type { PrintOptionValues, PrintProfile, SetPrintOptionsArgs } from './options.js';
export type { PrintDtype } from './formatter.js';
export { pyExp, pyFixed } from './py-format.js';

/** The dtypes PyTorch leaves unnamed in a repr with elements: the default float, int64 and bool. */
const hasDefaultDType = (dtype: PrintDtype): boolean => dtype === defaultFloatDType() || dtype === 'int64' || dtype === 'bool';

/** A row-major view of the flat data: the element at `offset` starts dimension `dim`. */
interface View {
  readonly data: ArrayLike<number | bigint>;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dtype: PrintDtype;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/** Element value as PyTorch's item()/tolist() returns it: float32 widened to double, bool as 0/1, int64 exact. */
function element(view: View, index: number): number | bigint {
  const v = view.data[index];
  if (typeof v === 'bigint') return v;
  if (view.dtype === 'float32') return Math.fround(v);
  if (view.dtype === 'bool') return v ? 1 : 0;
  return v;
}

/**
 * The indices PyTorch shows along a dimension of `size`, with -1 marking the '...'. A 1-D tail is
 * the slice self[-edgeitems:] and a higher-dimensional one range(size - edgeitems, size); they only
 * differ for edgeitems = 0, where Python's self[-0:] is the whole dimension.
 */
function shownIndices(size: number, summarize: boolean, edgeitems: number, innermost: boolean): number[] {
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
  if (!summarize || size <= 2 * edgeitems) return range(0, size);
  const tailStart = innermost && edgeitems === 0 ? 0 : size - edgeitems;
  return [...range(0, edgeitems), -1, ...range(tailStart, size)];
}

/** get_summarized_data: the values the formatter sizes its columns from. */
function collectShown(view: View, dim: number, offset: number, summarize: boolean, opts: PrintOptionValues, out: (number | bigint)[]): void {
  if (dim === view.shape.length) {
    out.push(element(view, offset));
    return;
  }
  const innermost = dim === view.shape.length - 1;
  for (const i of shownIndices(view.shape[dim], summarize, opts.edgeitems, innermost)) {
    if (i >= 0) collectShown(view, dim + 1, offset + i * view.strides[dim], summarize, opts, out);
  }
}

/** _vector_str: one bracketed row, wrapped so that lines fit in linewidth. */
function vectorStr(view: View, offset: number, indent: number, summarize: boolean, fmt: ElementFormatter, opts: PrintOptionValues): string {
  const dim = view.shape.length - 1;
  // Each element is followed by ', '.
  const elementLength = fmt.width + 2;
  const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / elementLength));
  const items = shownIndices(view.shape[dim], summarize, opts.edgeitems, true).map((i) =>
    i < 0 ? ' ...' : fmt.format(element(view, offset + i * view.strides[dim])),
  );
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

/** _tensor_str_with_formatter: nested brackets, sub-blocks separated by (rank - 1) newlines. */
function tensorStr(view: View, dim: number, offset: number, indent: number, summarize: boolean, fmt: ElementFormatter, opts: PrintOptionValues): string {
  const rank = view.shape.length - dim;
  if (rank === 0) return fmt.format(element(view, offset));
  if (rank === 1) return vectorStr(view, offset, indent, summarize, fmt, opts);
  const slices = shownIndices(view.shape[dim], summarize, opts.edgeitems, false).map((i) =>
    i < 0 ? '...' : tensorStr(view, dim + 1, offset + i * view.strides[dim], indent + 1, summarize, fmt, opts),
  );
  return '[' + slices.join(',' + '\n'.repeat(rank - 1) + ' '.repeat(indent + 1)) + ']';
}

/** _add_suffixes: append ', suffix', moving a suffix to its own line when it would pass linewidth. */
function addSuffixes(tensorStr: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [tensorStr];
  // PyTorch's arithmetic, including the +1 (and +2 on a single line, where rfind gives -1).
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** Python's str(tuple(shape)). */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * repr(tensor) as PyTorch 1.13 prints it.
 *
 * @param data row-major elements (bool as 0/1); float32 values are rounded to float32 first.
 * @param shape the tensor's shape ([] for a 0-d tensor).
 * @param suffixes extra `key=value` parts, in PyTorch's order (device first, then grad_fn or
 *   requires_grad). The size=/dtype= parts of empty tensors are inserted after any leading
 *   `device=` suffixes, where PyTorch puts them.
 */
export function formatTensor(data: ArrayLike<number | bigint>, shape: readonly number[], dtype: PrintDtype, suffixes: string[]): string {
  const opts = PrintOptions;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = shape.reduce((a, b) => a * b, 1);
  if (data.length < numel) throw new Error(`formatTensor: ${data.length} values for shape [${shape.join(', ')}]`);

  const shapeSuffixes: string[] = [];
  let body: string;
  if (numel === 0) {
    // Like NumPy, the shape is shown unless it is (0,); the dtype cannot be inferred from no elements.
    if (shape.length !== 1) shapeSuffixes.push('size=' + pyTuple(shape));
    if (dtype !== defaultFloatDType()) shapeSuffixes.push(`dtype=torch.${dtype}`);
    body = '[]';
  } else {
    if (!hasDefaultDType(dtype)) shapeSuffixes.push(`dtype=torch.${dtype}`);
    const view: View = { data, shape, strides: rowMajorStrides(shape), dtype };
    const summarize = numel > opts.threshold;
    const shown: (number | bigint)[] = [];
    collectShown(view, 0, 0, summarize, opts, shown);
    const fmt = new ElementFormatter(shown, dtype, opts);
    body = tensorStr(view, 0, 0, indent, summarize, fmt, opts);
  }

  let deviceCount = 0;
  while (deviceCount < suffixes.length && suffixes[deviceCount].startsWith('device=')) deviceCount++;
  const allSuffixes = [...suffixes.slice(0, deviceCount), ...shapeSuffixes, ...suffixes.slice(deviceCount)];
  return addSuffixes(prefix + body, allSuffixes, indent, opts.linewidth);
}
