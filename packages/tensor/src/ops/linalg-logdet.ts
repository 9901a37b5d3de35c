import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { checkFloatMatrices, eliminate } from './linalg-solve.js';
import { presentAs } from './present-as.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// slogdet and logdet from the pivots of det's elimination: log|det| is the sum of the logs of the pivots' magnitudes,
// so it neither overflows nor underflows where the determinant itself would.

/** What `torch.linalg.slogdet` returns, like PyTorch's `(sign, logabsdet)` named tuple; it destructures as an array. */
export class SignLogAbsDet {
  constructor(
    readonly sign: Tensor,
    readonly logabsdet: Tensor,
    /** The named tuple's type, `torch.return_types.<op>`, which its printing shows. */
    readonly op = 'linalg_slogdet',
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.<op>(...)`). */
  toString(): string {
    return returnTypeRepr(this.op, { sign: this.sign, logabsdet: this.logabsdet });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.sign;
    yield this.logabsdet;
  }
}

/** `torch.slogdet(A)` and `A.slogdet()`: `torch.linalg.slogdet`, which PyTorch prints as `torch.return_types.slogdet`. */
export function slogdetLegacy(a: Tensor): SignLogAbsDet {
  const { sign, logabsdet } = slogdet(a);
  return new SignLogAbsDet(sign, logabsdet, 'slogdet');
}

/** `torch.linalg.slogdet(A)` (`torch.slogdet`): the sign of det(A) (0 for a singular A) and log|det(A)| (-inf there). */
export function slogdet(a: Tensor, name = 'linalg.slogdet'): SignLogAbsDet {
  checkFloatMatrices(name, a);
  const { pivots, sign } = eliminate(a, null);
  const s = pivots.sign().prod(-1).mul(sign);
  const logabsdet = pivots.abs().log().sum(-1);
  // Both outputs come from one LinalgSlogdetBackward0 node in PyTorch.
  return new SignLogAbsDet(presentAs(s, 'LinalgSlogdetBackward0', [a]), presentAs(logabsdet, 'LinalgSlogdetBackward0', [a]));
}

/** `torch.logdet(A)`: log(det(A)); NaN where det(A) < 0 and -inf where it is 0, as PyTorch. */
export function logdet(a: Tensor): Tensor {
  const { sign, logabsdet } = slogdet(a, 'logdet');
  return presentAs(where(sign.eq(-1), NaN, logabsdet), 'WhereBackward0', [a]);
}
