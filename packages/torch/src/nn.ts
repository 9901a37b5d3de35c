/**
 * `torch.nn`: every export of `@descent/nn`, plus `torch.nn.utils`. The clipping functions live in `@descent/optim`
 * (nn and optim share a layer, so nn cannot import them); the umbrella puts them where PyTorch has them.
 */
export * from '@descent/nn';
export * as utils from './nn-utils.js';
