import { emptyLike, zerosLike, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { warnOnce } from '../py-warnings.js';

/** `F.gumbel_softmax`'s arguments after `logits`, by keyword. */
export interface GumbelSoftmaxOptions {
  tau?: number;
  hard?: boolean;
  /** Deprecated in PyTorch and without effect; another value warns. */
  eps?: number;
  dim?: number;
}

/**
 * A sample of the Gumbel-softmax distribution over `dim`, as `F.gumbel_softmax(logits, tau=1, hard=False,
 * eps=1e-10, dim=-1)`: `softmax((logits - log(E)) / tau)` for exponential draws `E` taken from the generator as
 * PyTorch's `exponential_` takes them (so a seed gives PyTorch's sample); `hard` returns the one-hot argmax with the
 * soft sample's gradient (straight through).
 */
export function gumbelSoftmax(logits: Tensor, ...args: ArgsThenOptions<[tau: number, hard: boolean, eps: number, dim: number], GumbelSoftmaxOptions>): Tensor {
  const o = bindArgs<GumbelSoftmaxOptions>({ fn: 'gumbel_softmax', required: 1, positional: ['tau', 'hard', 'eps', 'dim'] }, args);
  const { tau = 1, hard = false, eps = 1e-10, dim = -1 } = o;
  if (eps !== 1e-10) warnOnce('`eps` parameter is deprecated and has no effect.');
  const gumbels = emptyLike(logits).exponential_().log().neg();
  const soft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return soft;
  const index = soft.max(dim, { keepdim: true }).indices;
  return zerosLike(logits).scatter(dim, index, 1).sub(soft.detach()).add(soft);
}
