import type { Tensor } from '@descent/tensor';

/** Sums a broadcast gradient back to `shape`: leading dims away, then size-1 dims (keepdim). */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((s, i) => s === shape[i])) return grad;
  const lead = grad.shape.length - shape.length;
  let g = grad;
  if (lead > 0) g = g.sum(Array.from({ length: lead }, (_, i) => i));
  const ones = shape.flatMap((s, i) => (s === 1 && g.shape[i] !== 1 ? [i] : []));
  if (ones.length > 0) g = g.sum(ones, { keepdim: true });
  return g;
}
