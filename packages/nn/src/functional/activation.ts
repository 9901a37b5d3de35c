import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';

/** Writes `result` into `input` when `inplace`, as PyTorch's `inplace=True` variants. */
function maybeInplace(input: Tensor, result: Tensor, inplace: boolean): Tensor {
  return inplace ? input.copy_(result) : result;
}

export function relu(input: Tensor, inplace = false): Tensor {
  return inplace ? input.relu_() : torch.relu(input);
}

export function leakyRelu(input: Tensor, negativeSlope = 0.01, inplace = false): Tensor {
  return maybeInplace(input, torch.leakyRelu(input, negativeSlope), inplace);
}

/** GELU with the exact erf form, or `approximate: 'tanh'`. */
export function gelu(input: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new Error(`approximate argument must be either none or tanh.`);
  }
  return torch.gelu(input, approximate);
}

export function silu(input: Tensor, inplace = false): Tensor {
  return maybeInplace(input, torch.silu(input), inplace);
}

export function sigmoid(input: Tensor): Tensor {
  return torch.sigmoid(input);
}

export function tanh(input: Tensor): Tensor {
  return torch.tanh(input);
}

/** PyTorch's implicit softmax dim (deprecated there): 0 for 0-, 1- and 3-D input, else 1. */
export function legacySoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

export function softmax(input: Tensor, dim: number | null = null): Tensor {
  return torch.softmax(input, dim ?? legacySoftmaxDim(input.ndim));
}

export function logSoftmax(input: Tensor, dim: number | null = null): Tensor {
  return torch.logSoftmax(input, dim ?? legacySoftmaxDim(input.ndim));
}
