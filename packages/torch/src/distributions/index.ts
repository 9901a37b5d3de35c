/**
 * `torch.distributions`: Categorical, Multinomial, Bernoulli, Normal and Uniform with PyTorch 1.13's parameters,
 * validation, log-probabilities, entropies and moments, sampling from the global generator in PyTorch's order.
 */
export { Distribution, type DistributionOptions } from './distribution.js';
export { Categorical, type CategoricalOptions } from './categorical.js';
export { Multinomial, type MultinomialOptions } from './multinomial.js';
export { Bernoulli, type BernoulliOptions } from './bernoulli.js';
export { Normal, type NormalOptions } from './normal.js';
export { Uniform, type UniformOptions } from './uniform.js';
export * as constraints from './constraints.js';
export * as utils from './utils.js';
export { klDivergence, registerKl } from './kl.js';
