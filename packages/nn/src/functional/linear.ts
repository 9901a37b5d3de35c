import type { Tensor } from '@descent/tensor';

/** `input @ weight.T + bias`, as `F.linear`; `weight` is `[outFeatures, inFeatures]`. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const out = input.matmul(weight.t());
  return bias ? out.add(bias) : out;
}
