import type { Tensor } from '@descent/tensor';

/** Sums a broadcast gradient back to `shape`: leading dims away, then size-1 dims (keepdim). */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  const gs = grad.shape;
  if (gs === shape) return grad;
  const lead = gs.length - shape.length;
  if (lead === 0) {
    let same = true;
    for (let i = 0; i < gs.length; i++) if (gs[i] !== shape[i]) same = false;
    if (same) return grad;
  }
  let g = grad;
  if (lead > 0) {
    const leading: number[] = [];
    for (let i = 0; i < lead; i++) leading.push(i);
    g = g.sum(leading);
  }
  const ones: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] === 1 && g.shape[i] !== 1) ones.push(i);
  if (ones.length > 0) g = g.sum(ones, { keepdim: true });
  return g;
}
