import { checkOptionKeys } from '../options.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, full, tensor } from './creation.js';
import { cat, indexSelect, scatterAddZeros } from './indexing.js';
import { stableArgsort } from './sorting.js';

// torch.unique and unique_consecutive: sort (or not), mark where each run of equal elements (or slices) starts,
// and read those marks on the host, since the output's length depends on the values (PyTorch's CUDA syncs too).

export interface UniqueConsecutiveOptions {
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

export interface UniqueOptions extends UniqueConsecutiveOptions {
  /** Descent always sorts (PyTorch's CPU does too for sorted=True, the default). */
  sorted?: boolean;
}

type Flags = { returnInverse?: false; returnCounts?: false };

function hostFlags(mask: Tensor): number[] {
  if (!mask.device.supports('readSync')) {
    throw new Error(`unique needs the values on the host, and '${mask.device}' tensors are read asynchronously: move them to the CPU first`);
  }
  return Array.from(mask.dataSync() as ArrayLike<number>, Number);
}

/** Stable argsort of the rows of a 2-D tensor in lexicographic order: one stable sort per column, last first. */
function lexOrder(rows: Tensor): Tensor {
  let order = arange(rows.shape[0], { dtype: 'int64', device: rows.device });
  for (let c = rows.shape[1] - 1; c >= 0; c--) {
    const column = indexSelect(rows.select(1, c), 0, order);
    order = indexSelect(order, 0, stableArgsort(column, 0));
  }
  return order;
}

/**
 * The runs of equal rows of `rows` (2-D, grouped): the first row of each run, each row's run number and the runs'
 * lengths.
 */
function runs(rows: Tensor): { starts: Tensor; group: Tensor; counts: Tensor } {
  const n = rows.shape[0];
  const device = rows.device;
  const changed = n < 2 ? full([0], false, { device }) : rows.narrow(0, 1, n - 1).ne(rows.narrow(0, 0, n - 1)).any(1);
  const starts = cat([full([Math.min(n, 1)], true, { device }), changed]);
  const flags = hostFlags(starts);
  const first: number[] = [];
  flags.forEach((f, i) => f && first.push(i));
  const lengths = first.map((s, i) => (i + 1 < first.length ? first[i + 1] : n) - s);
  return {
    starts: tensor(first, { dtype: 'int64', device }),
    group: starts.to('int64').cumsum(0).sub(1),
    counts: tensor(lengths, { dtype: 'int64', device }),
  };
}

function uniqueOf(name: string, x: Tensor, options: UniqueOptions, sortFirst: boolean): Tensor | Tensor[] {
  checkOptionKeys(name, options, sortFirst ? ['sorted', 'returnInverse', 'returnCounts', 'dim'] : ['returnInverse', 'returnCounts', 'dim']);
  const input = x.detach();
  const dim = options.dim ?? null;
  const d = dim === null ? 0 : normalizeDim(dim, x.ndim);
  const moved = dim === null ? input.reshape([-1]) : input.movedim(d, 0);
  const n = moved.shape[0];
  const rows = moved.reshape([n, n === 0 ? 1 : moved.numel() / n]);
  const order = sortFirst ? (dim === null ? stableArgsort(rows.select(1, 0), 0) : lexOrder(rows)) : arange(n, { dtype: 'int64', device: x.device });
  const grouped = indexSelect(rows, 0, order);
  const { starts, group, counts } = runs(grouped);
  const picked = indexSelect(moved, 0, indexSelect(order, 0, starts));
  const output = dim === null ? picked : picked.movedim(0, d);
  if (!options.returnInverse && !options.returnCounts) return output;
  const result = [output];
  if (options.returnInverse) {
    // Each row's run number, put back in the row's original place (order is a permutation).
    const inverse = sortFirst ? scatterAddZeros([n], 0, order, group) : group;
    result.push(dim === null ? inverse.reshape(x.shape) : inverse);
  }
  if (options.returnCounts) result.push(counts);
  return result;
}

/**
 * `torch.unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None)`: the distinct elements (or
 * slices along `dim`) in ascending order; with `returnInverse`/`returnCounts`, `[output, inverse?, counts?]`.
 */
export function unique(x: Tensor, options?: UniqueOptions & Flags): Tensor;
export function unique(x: Tensor, options: UniqueOptions): Tensor[];
export function unique(x: Tensor, options: UniqueOptions = {}): Tensor | Tensor[] {
  return uniqueOf('unique', x, options, true);
}

/** `torch.unique_consecutive`: collapses each run of equal consecutive elements (or slices) to one. */
export function uniqueConsecutive(x: Tensor, options?: UniqueConsecutiveOptions & Flags): Tensor;
export function uniqueConsecutive(x: Tensor, options: UniqueConsecutiveOptions): Tensor[];
export function uniqueConsecutive(x: Tensor, options: UniqueConsecutiveOptions = {}): Tensor | Tensor[] {
  return uniqueOf('unique_consecutive', x, options, false);
}
