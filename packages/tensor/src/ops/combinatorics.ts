import { bindArgs, type ArgsThenOptions } from '../call-args.js';
import { promoteTypes } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { tensor, full } from './creation.js';
import { cat, indexSelect, stack } from './indexing.js';
import { presentAs } from './present-as.js';

// combinations and vander: index patterns computed on the host from sizes only, then gathered or multiplied with
// tensor ops (so differentiable and on every device).

/** The index tuples of r-combinations of n (lexicographic), with repeats when `replacement`. */
function indexTuples(n: number, r: number, replacement: boolean): number[][] {
  const out: number[][] = [];
  const walk = (start: number, prefix: number[]) => {
    if (prefix.length === r) {
      out.push(prefix);
      return;
    }
    for (let i = start; i < n; i++) walk(replacement ? i : i + 1, [...prefix, i]);
  };
  walk(0, []);
  return out;
}

export interface CombinationsOptions {
  r?: number;
  withReplacement?: boolean;
}

export interface VanderOptions {
  N?: number | null;
  increasing?: boolean;
}

/** `torch.combinations(x, r=2, with_replacement=False)`: the r-element combinations of a 1-D tensor, as rows. */
export function combinations(x: Tensor, ...args: ArgsThenOptions<[r: number, withReplacement: boolean], CombinationsOptions>): Tensor {
  const { r = 2, withReplacement = false } = bindArgs<CombinationsOptions>({ fn: 'combinations', required: 1, positional: ['r', 'withReplacement'] }, args);
  if (x.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape [${x.shape.join(', ')}]`);
  if (r < 0) throw new RangeError(`Expect a non-negative number, but got ${r}`);
  if (r === 0) return full([0], 0, { dtype: x.dtype, device: x.device });
  const tuples = indexTuples(x.shape[0], r, withReplacement);
  const columns = Array.from({ length: r }, (_, j) =>
    indexSelect(x, 0, tensor(tuples.map((t) => t[j]), { dtype: 'int64', device: x.device })),
  );
  return presentAs(stack(columns, 1), 'StackBackward0', [x]);
}

/**
 * `torch.vander(x, N=None, increasing=False)`: columns x^(N-1), ..., x, 1 (reversed with `increasing`), by a running
 * product as PyTorch; integers and bools give int64.
 */
export function vander(x: Tensor, ...args: ArgsThenOptions<[N: number | null, increasing: boolean], VanderOptions>): Tensor {
  const options = bindArgs<VanderOptions>({ fn: 'vander', required: 1, positional: ['N', 'increasing'] }, args);
  if (x.ndim !== 1) throw new RangeError('x must be a one-dimensional tensor.');
  const n = options.N ?? x.shape[0];
  if (n < 0) throw new RangeError('N must be non-negative.');
  const dtype = promoteTypes(x.dtype, 'int64');
  const input = x.to(dtype);
  if (n === 0) return full([x.shape[0], 0], 0, { dtype, device: x.device });
  const ones = full([x.shape[0], 1], 1, { dtype, device: x.device });
  const powers = n === 1 ? ones : cat([ones, input.unsqueeze(1).expand([x.shape[0], n - 1])], 1).cumprod(1);
  // PyTorch writes the increasing powers into slices of its result (CopySlices), then flips them.
  return options.increasing ? presentAs(powers, 'CopySlices', [x]) : powers.flip([1]);
}
