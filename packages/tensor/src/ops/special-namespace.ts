import type { Tensor } from '../tensor.js';
import { withOut } from './out-argument.js';
import { presentAs } from './present-as.js';
import { round as roundHalfEven } from './unary.js';

// `torch.special`: the functions PyTorch 1.13 keeps in that namespace that Descent has, under their PyTorch names
// (camelCase); most are torch.* functions under another name (with out= where torch.* has it).
export { digamma, digamma as psi, lgamma as gammaln, polygamma, mvlgamma as multigammaln } from './gamma-functions.js';
export { erfinv, ndtri, logit } from './inverse-functions.js';
export { sinc, xlogy, xlog1py, entr, ndtr, erfcx, logNdtr } from './special-math.js';
export { erf, erfc, exp2, expm1, log1p, sigmoid as expit } from './out-variants.js';
export { i0, i0e, i1, i1e } from './bessel.js';
export { softmax, logSoftmax } from './reduction.js';
export { logsumexp } from './norms.js';

/** `torch.special.round(x)`: `torch.round`, recorded as PyTorch's `round.decimals` overload (RoundBackward1). */
export const round = withOut('round', (x: Tensor): Tensor => presentAs(roundHalfEven(x), 'RoundBackward1', [x]), 1);
