import type { Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';

/** `F.normalize`'s arguments after the input, by keyword. */
export interface NormalizeArgs {
  p?: number;
  dim?: number;
  eps?: number;
}

const NORMALIZE_ARGS = { fn: 'normalize', required: 1, positional: ['p', 'dim', 'eps'] };

/**
 * Divides each vector along `dim` by its p-norm, floored at `eps`, as `F.normalize(input, p=2.0, dim=1, eps=1e-12)`.
 * A zero vector stays zero with a zero gradient (the norm's gradient there is masked, as in PyTorch).
 */
export function normalize(input: Tensor, ...args: ArgsThenOptions<[p: number, dim: number, eps: number], NormalizeArgs>): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = bindArgs<NormalizeArgs>(NORMALIZE_ARGS, args);
  const denominator = input.norm(p, dim, { keepdim: true }).clamp(eps, null).expandAs(input);
  return input.div(denominator);
}
