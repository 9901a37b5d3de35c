/**
 * `torch.backends` as PyTorch has it without CUDA or Apple's MPS: the flags programs set for reproducibility
 * (`torch.backends.cudnn.deterministic = true`, `benchmark = false`) are kept and change nothing (there is no
 * cuDNN), and the availability checks say no.
 */
export const cudnn = {
  enabled: true,
  deterministic: false,
  benchmark: false,
  isAvailable: (): boolean => false,
};

export const mps = {
  isAvailable: (): boolean => false,
  isBuilt: (): boolean => false,
};
