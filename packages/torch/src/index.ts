/**
 * `import * as torch from '@descent/torch'`: PyTorch's namespaces in one import. `torch.tensor`, `torch.randn`,
 * `torch.noGrad`... at the top level as in `torch.*`; `torch.nn`, `torch.optim`, `torch.utils.data`,
 * `torch.autograd`, `torch.distributions`, and `torch.webgpu` for the GPU backend (`torch.cuda` and
 * `torch.backends` answer as PyTorch does on a machine without CUDA).
 */
export * from '@descent/tensor';
export { getNumThreads, setNumThreads, threadingStatus, type ThreadingStatus } from '@descent/backend-cpu';
export * as autograd from '@descent/autograd';
export { isAnomalyEnabled } from '@descent/autograd';
export * as nn from './nn.js';
export * as optim from '@descent/optim';
export * as utils from './utils.js';
export * as webgpu from './webgpu.js';
export * as cuda from './cuda.js';
export * as backends from './backends.js';
export { save, load } from './io.js';
export { encodeTorchCheckpoint } from './pytorch-layout.js';
export * as distributions from './distributions/index.js';
