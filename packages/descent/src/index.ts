/**
 * `import * as torch from 'descent'`: PyTorch's namespaces in one import. `torch.tensor`, `torch.randn`,
 * `torch.noGrad`... at the top level, as in `torch.*`; `torch.autograd` for `grad` and `gradcheck`.
 */
export * from '@descent/tensor';
export * as autograd from '@descent/autograd';
