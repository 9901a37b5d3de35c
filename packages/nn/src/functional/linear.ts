import { addmm, bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';

/** `input @ weight.T + bias`, as `F.linear(input, weight, bias=None)`; `weight` is `[outFeatures, inFeatures]`. */
export function linear(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<[bias: Tensor | null], { bias?: Tensor | null }>): Tensor {
  const bias = bindArgs<{ bias?: Tensor | null }>({ fn: 'linear', required: 2, positional: ['bias'] }, args).bias ?? null;
  // A batch with a bias is one addmm, as in PyTorch (grad_fn=<AddmmBackward0>).
  if (bias && input.ndim === 2) return addmm(bias, input, weight.t());
  // A contiguous 3-d input with a bias is the same addmm on its rows, viewed back (1.13's _flatten_nd_linear:
  // grad_fn=<ViewBackward0>, as d2l's position-wise FFN prints).
  if (bias && input.ndim === 3 && input.isContiguous()) {
    const rows = addmm(bias, input.view(-1, input.shape[2]), weight.t());
    return rows.view(input.shape[0], input.shape[1], rows.shape[1]);
  }
  const out = input.matmul(weight.t());
  return bias ? out.add(bias) : out;
}
