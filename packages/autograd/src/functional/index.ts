/** `torch.autograd.functional`: derivatives of whole functions, as PyTorch 1.13's (reverse mode, not vectorized). */
export { vjp, jvp, type FunctionalResult } from './vjp-jvp.js';
export { jacobian, hessian, type JacobianResult } from './jacobian.js';
export { vhp, hvp } from './hessian-products.js';
export type { FunctionalOptions, TensorFunction } from './common.js';
