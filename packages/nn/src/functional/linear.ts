import { addmm, type Tensor } from '@descent/tensor';

/** `input @ weight.T + bias`, as `F.linear`; `weight` is `[outFeatures, inFeatures]`. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  // A batch with a bias is one addmm, as in PyTorch (grad_fn=<AddmmBackward0>).
  if (bias && input.ndim === 2) return addmm(bias, input, weight.t());
  const out = input.matmul(weight.t());
  return bias ? out.add(bias) : out;
}
