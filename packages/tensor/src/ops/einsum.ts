import type { Tensor } from '../tensor.js';
import { diagonal } from './diagonals.js';
import { matmul } from './linalg.js';
import { sum } from './reduction.js';
import { permute, reshape } from './views.js';
import { presentAs } from './present-as.js';

/**
 * `torch.einsum(equation, ...operands)`: Einstein summation. Operands contract pairwise, left to right, each pair
 * as one batched matmul ([batch, left, contracted] x [batch, contracted, right]); a letter only one operand has and
 * nothing later needs is summed out first. `...` stands for broadcast dims (right-aligned, as in PyTorch).
 */
export function einsum(equation: string, ...operands: (Tensor | Tensor[])[]): Tensor {
  const tensors = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : (operands as Tensor[]);
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, null];
  const inputs = lhs.split(',');
  if (inputs.length !== tensors.length) {
    throw new RangeError(
      inputs.length < tensors.length
        ? 'einsum(): more operands were provided than specified in the equation'
        : 'einsum(): fewer operands were provided than specified in the equation',
    );
  }
  const ellipsisRank = Math.max(0, ...inputs.map((s, i) => (s.includes('...') ? tensors[i].ndim - (s.length - 3) : 0)));
  const ellipsis = Array.from({ length: ellipsisRank }, (_, i) => String.fromCharCode(0x3b1 + i)); // α, β, ...
  const subscripts = inputs.map((s, i) => expand(s, tensors[i], ellipsis));
  // Implicit output: the letters that occur once in the whole equation ('ii' is a trace, so i is summed).
  const counts = new Map<string, number>();
  for (const s of subscripts) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const output = rhs === null ? [...ellipsis, ...[...counts.keys()].filter((c) => !ellipsis.includes(c) && counts.get(c) === 1).sort()] : expand(rhs, null, ellipsis);
  const labeled = tensors.map((t, i) => diagonals({ tensor: t, letters: subscripts[i] }));
  let acc = labeled[0];
  for (let i = 1; i <= tensors.length; i++) {
    const later = new Set([...output, ...labeled.slice(i + 1).flatMap((x) => x.letters)]);
    if (i === tensors.length) return presentAs(finish(acc.tensor, acc.letters, output), einsumName(labeled, output), tensors);
    acc = contract(acc, labeled[i], later);
  }
  return acc.tensor;
}

/**
 * The node PyTorch 1.13's einsum ends on: one operand is permuted to the output's order, then summed if any of its
 * letters is not in the output; later operands multiply in, the last contracting (a bmm then a view) if any of
 * its letters is not in the output.
 */
function einsumName(labeled: readonly Labeled[], output: readonly string[]): string {
  const contracts = labeled[labeled.length - 1].letters.some((c) => !output.includes(c));
  if (labeled.length === 1) return contracts ? 'SumBackward1' : 'PermuteBackward0';
  return contracts ? 'ViewBackward0' : 'MulBackward0';
}

/** A letter repeated within one operand ('ii', 'bii') reads its diagonal: the two dims become one, at the end. */
function diagonals(x: Labeled): Labeled {
  let { tensor: t, letters } = x;
  for (let d1 = 0; d1 < letters.length; d1++) {
    const d2 = letters.indexOf(letters[d1], d1 + 1);
    if (d2 < 0) continue;
    if (t.shape[d1] !== t.shape[d2]) {
      throw new RangeError(`einsum(): subscript ${letters[d1]} is repeated for operand but the sizes don't match, ${t.shape[d1]} != ${t.shape[d2]}`);
    }
    t = diagonal(t, 0, d1, d2);
    letters = [...letters.filter((_, d) => d !== d1 && d !== d2), letters[d1]];
    d1 = -1;
  }
  return { tensor: t, letters };
}

/** Subscript letters of one operand, `...` replaced by as many broadcast letters as it covers. */
function expand(spec: string, t: Tensor | null, ellipsis: string[]): string[] {
  if (!spec.includes('...')) {
    if (t !== null && spec.length !== t.ndim) {
      throw new RangeError(`einsum(): the number of subscripts in the equation (${spec.length}) does not match the number of dimensions (${t.ndim}) for operand and no ellipsis was given`);
    }
    return [...spec];
  }
  const [before, after] = spec.split('...');
  const covered = t === null ? ellipsis.length : t.ndim - before.length - after.length;
  return [...before, ...ellipsis.slice(ellipsis.length - covered), ...after];
}

interface Labeled {
  tensor: Tensor;
  letters: string[];
}

/** Sums out the letters of `x` that no one else needs; broadcast size-1 dims stay. */
function sumUnneeded(x: Labeled, needed: Set<string>): Labeled {
  const dims = x.letters.map((c, d) => (needed.has(c) ? -1 : d)).filter((d) => d >= 0);
  if (dims.length === 0) return x;
  return { tensor: sum(x.tensor, dims), letters: x.letters.filter((c) => needed.has(c)) };
}

function contract(a0: Labeled, b0: Labeled, later: Set<string>): Labeled {
  const a = sumUnneeded(a0, new Set([...later, ...b0.letters]));
  const b = sumUnneeded(b0, new Set([...later, ...a.letters]));
  const batch = a.letters.filter((c) => b.letters.includes(c) && later.has(c));
  const shared = a.letters.filter((c) => b.letters.includes(c) && !later.has(c));
  const left = a.letters.filter((c) => !b.letters.includes(c));
  const right = b.letters.filter((c) => !a.letters.includes(c));
  const size = (x: Labeled, cs: string[]) => cs.map((c) => x.tensor.shape[x.letters.indexOf(c)]);
  const batchShape = size(a, batch).map((s, i) => Math.max(s, size(b, batch)[i]));
  const arrange = (x: Labeled, order: string[], shape: number[]) => reshape(permute(x.tensor, order.map((c) => x.letters.indexOf(c))), shape);
  const prod = (s: number[]) => s.reduce((p, q) => p * q, 1);
  const am = arrange(a, [...batch, ...left, ...shared], [...size(a, batch), prod(size(a, left)), prod(size(a, shared))]);
  const bm = arrange(b, [...batch, ...shared, ...right], [...size(b, batch), prod(size(b, shared)), prod(size(b, right))]);
  const product = matmul(am, bm);
  return { tensor: reshape(product, [...batchShape, ...size(a, left), ...size(b, right)]), letters: [...batch, ...left, ...right] };
}

function finish(t: Tensor, letters: string[], output: string[]): Tensor {
  const reduced = sumUnneeded({ tensor: t, letters }, new Set(output));
  for (const c of output) if (!reduced.letters.includes(c)) throw new RangeError(`einsum(): output subscript ${c} does not appear in the equation for any input operand`);
  return permute(reduced.tensor, output.map((c) => reduced.letters.indexOf(c)));
}
