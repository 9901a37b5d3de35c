import { addmm, bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';

/** `input @ weight.T + bias`, as `F.linear(input, weight, bias=None)`; `weight` is `[outFeatures, inFeatures]`. */
export function linear(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<[bias: Tensor | null], { bias?: Tensor | null }>): Tensor {
  const bias = bindArgs<{ bias?: Tensor | null }>({ fn: 'linear', required: 2, positional: ['bias'] }, args).bias ?? null;
  // A batch with a bias is one addmm, as in PyTorch (grad_fn=<AddmmBackward0>).
  if (bias && input.ndim === 2) return addmm(bias, input, weight.t());
  const out = input.matmul(weight.t());
  return bias ? out.add(bias) : out;
}
