import { arange, bindArgs, cat, checkOptionKeys, full, presentAs, tensor, type ArgsThenOptions, type Tensor } from '@descent/tensor';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Source positions along one dim of size `n` padded by `before`/`after` in a non-constant mode. */
function sourcePositions(mode: Exclude<PadMode, 'constant'>, n: number, before: number, after: number): number[] {
  return Array.from({ length: n + before + after }, (_, i) => {
    const p = i - before;
    if (mode === 'replicate') return Math.min(Math.max(p, 0), n - 1);
    if (mode === 'circular') return ((p % n) + n) % n;
    // reflect: mirror at the edges without repeating them.
    const period = 2 * (n - 1);
    const q = period === 0 ? 0 : ((p % period) + period) % period;
    return q < n ? q : period - q;
  });
}

/** `F.pad`'s optional arguments, by keyword: `F.pad(x, (1, 1), mode='reflect')`, `value=None` for 0. */
export interface PadOptions {
  mode?: PadMode;
  value?: number | null;
}

/**
 * `F.pad(input, pad, mode='constant', value=0)`: `pad` lists (before, after) amounts from the last dim backwards;
 * a negative amount crops. Built from cat, narrow and index_select, so it is differentiable on every backend.
 */
export function pad(input: Tensor, padding: readonly number[], ...args: ArgsThenOptions<[mode: PadMode, value: number | null], PadOptions>): Tensor {
  const o = bindArgs<PadOptions>({ fn: 'pad', required: 2, positional: ['mode', 'value'] }, args);
  const mode = o.mode ?? 'constant';
  const value = o.value ?? 0;
  if (padding.length % 2 !== 0) throw new RangeError('Padding length must be divisible by 2');
  if (padding.length / 2 > input.ndim) throw new RangeError('Padding length too large');
  let out = input;
  for (let i = 0; i < padding.length / 2; i++) {
    const dim = input.ndim - 1 - i;
    const before = padding[2 * i];
    const after = padding[2 * i + 1];
    const n = out.shape[dim];
    if (mode === 'constant') {
      // Crop first (negative amounts), then add constant blocks.
      const start = Math.max(-before, 0);
      const keep = n - start - Math.max(-after, 0);
      if (keep < 0) throw new RangeError(`The input size ${n}, plus negative padding ${before} and ${after} resulted in a negative output size, which is invalid. Check dimension ${dim} of your input.`);
      if (start > 0 || keep < n) out = out.narrow(dim, start, keep);
      const block = (size: number) => full(out.shape.map((s, d) => (d === dim ? size : s)), value, { dtype: out.dtype, device: out.device });
      const parts = [...(before > 0 ? [block(before)] : []), out, ...(after > 0 ? [block(after)] : [])];
      if (parts.length > 1) out = cat(parts, dim);
      continue;
    }
    if (before < 0 || after < 0) throw new RangeError(`negative padding is only supported in 'constant' mode`);
    if (mode === 'reflect' && (before >= n || after >= n)) {
      throw new RangeError(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${dim} of input [${input.shape.join(', ')}]`,
      );
    }
    if (mode === 'circular' && (before > n || after > n)) {
      throw new RangeError('Padding value causes wrapping around more than once.');
    }
    if (n === 0) throw new RangeError(`${mode} padding of an empty dimension is not possible`);
    out = out.indexSelect(dim, tensor(sourcePositions(mode, n, before, after), { dtype: 'int64', device: out.device }));
  }
  // PyTorch pads into a new tensor even by zero amounts.
  if (out === input) out = input.clone();
  return presentAs(out, padName(mode, padding.length / 2), [input]);
}

/** The node of PyTorch's padding kernel; circular padding is Python slice writes there, ending on a CopySlices. */
function padName(mode: PadMode, dims: number): string {
  if (mode === 'constant') return 'ConstantPadNdBackward0';
  if (mode === 'circular') return 'CopySlices';
  return `${mode === 'reflect' ? 'Reflection' : 'Replication'}Pad${dims}DBackward0`;
}

/**
 * `F.one_hot(tensor, num_classes=-1)`: int64 class indices to int64 one-hot vectors on a new last dim; -1 takes
 * the largest index plus one.
 */
export function oneHot(input: Tensor, numClassesOr: number | { numClasses?: number } = -1): Tensor {
  // `F.one_hot(y, num_classes=10)` written `F.oneHot(y, { numClasses: 10 })`.
  if (typeof numClassesOr === 'object') checkOptionKeys('one_hot', numClassesOr, ['numClasses']);
  const numClasses = typeof numClassesOr === 'object' ? (numClassesOr.numClasses ?? -1) : numClassesOr;
  if (input.dtype !== 'int64') throw new TypeError('one_hot is only applicable to index tensor.');
  let classes = numClasses;
  if (input.device.supports('readSync') && input.numel() > 0) {
    const values = Array.from(input.dataSync() as BigInt64Array, Number);
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (min < 0) throw new RangeError('Class values must be non-negative.');
    if (classes === -1) classes = max + 1;
    else if (max >= classes) throw new RangeError('Class values must be smaller than num_classes.');
  } else if (classes === -1) {
    if (input.numel() === 0) throw new RangeError('Can not infer total number of classes from empty tensor.');
    throw new RangeError('one_hot needs num_classes on a device that cannot be read synchronously');
  }
  return input.unsqueeze(-1).eq(arange(classes, { dtype: 'int64', device: input.device })).to('int64');
}
