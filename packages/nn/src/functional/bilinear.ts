import { bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';

/**
 * `y[..., o] = x1[..., i] W[o, i, j] x2[..., j] + b[o]`, as `F.bilinear(input1, input2, weight, bias=None)`: one
 * matmul of `x1` against `W` laid out `[in1, out * in2]`, then a product with `x2` summed over `j`.
 */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, ...args: ArgsThenOptions<[bias: Tensor | null], { bias?: Tensor | null }>): Tensor {
  const bias = bindArgs<{ bias?: Tensor | null }>({ fn: 'bilinear', required: 3, positional: ['bias'] }, args).bias ?? null;
  if (input1.ndim !== input2.ndim) {
    throw new Error(`bilinear(): input dimensions do not match: got ${input1.ndim} and ${input2.ndim}`);
  }
  for (let i = 0; i < input1.ndim - 1; i++) {
    if (input1.shape[i] !== input2.shape[i]) {
      throw new Error(`bilinear(): input batch dimensions do not match at dim ${i}: got ${input1.shape[i]} and ${input2.shape[i]}`);
    }
  }
  const [out, in1, in2] = weight.shape;
  const got1 = input1.shape[input1.ndim - 1];
  const got2 = input2.shape[input2.ndim - 1];
  if (got1 !== in1) throw new Error(`bilinear(): input1 size does not match weight size: got ${got1} but expected ${in1}`);
  if (got2 !== in2) throw new Error(`bilinear(): input2 size does not match weight size: got ${got2} but expected ${in2}`);
  const lead = input1.shape.slice(0, -1);
  const x1 = input1.reshape([-1, in1]);
  const x2 = input2.reshape([-1, in2]);
  const left = x1.matmul(weight.permute([1, 0, 2]).reshape([in1, out * in2])).reshape([-1, out, in2]);
  const y = left.mul(x2.unsqueeze(1)).sum(2);
  return (bias ? y.add(bias) : y).reshape([...lead, out]);
}
