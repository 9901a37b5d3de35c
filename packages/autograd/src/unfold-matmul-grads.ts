import { composedInputGrad, isGradEnabled, unfoldColumns, unfoldMatmulInputGrad, unfoldMatmulWeightGrad, type GradNode, type Tensor } from '@descent/tensor';

/**
 * The gradients of a convolution's product (`unfoldMatmul`): the weight's and the input's, each one fused kernel
 * where the backend has them. A backward that builds a graph (`createGraph`) takes the same math from
 * differentiable ops instead, so convolutions have second derivatives.
 */
export function unfoldMatmulGrads(outGrad: Tensor, n: GradNode<'unfoldMatmul'>): (Tensor | null)[] {
  const [weight, x, index] = [n.input(0), n.input(1), n.input(2)];
  const [groups, og, kg] = weight.shape;
  const [samples, width] = x.shape;
  const g = outGrad.reshape([samples, groups, og, index.shape[0] / (groups * kg)]);
  // The bias (input 3, when given) gets the output's gradient summed over the samples and positions.
  const dBias = n.inputs.length > 3 && n.needs(3) ? g.sum([0, 3]).reshape([groups * og]) : null;
  const { readers } = n.params;
  if (!isGradEnabled()) {
    return [n.needs(0) ? unfoldMatmulWeightGrad(g, x, index) : null, n.needs(1) ? unfoldMatmulInputGrad(weight, g, index, width, readers) : null, null, dBias];
  }
  const dWeight = n.needs(0) ? g.matmul(unfoldColumns(x, index, groups, kg).transpose(2, 3)).sum(0) : null;
  const dX = n.needs(1) ? composedInputGrad(weight, g, index, width, readers) : null;
  return [dWeight, dX, null, dBias];
}
