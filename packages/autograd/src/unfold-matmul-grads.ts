import { cat, composedInputGrad, full, isGradEnabled, keep, ones, unfoldColumns, unfoldMatmulInputGrad, unfoldMatmulWeightGrad, type ConvGeometry, type GradNode, type Tensor } from '@descent/tensor';

/**
 * The gradients of a convolution's product (`unfoldMatmul`): the weight's and the input's, each one fused kernel
 * where the backend has them, and the bias's from the weight's kernel. A backward that builds a graph
 * (`createGraph`) takes the same math from differentiable ops instead, so convolutions have second derivatives.
 */
export function unfoldMatmulGrads(outGrad: Tensor, n: GradNode<'unfoldMatmul'>): (Tensor | null)[] {
  const [weight, x, index] = [n.input(0), n.input(1), n.input(2)];
  const [groups, og, kg] = weight.shape;
  const [samples, width] = x.shape;
  const g = outGrad.reshape([samples, groups, og, index.shape[0] / (groups * kg)]);
  // The bias (input 3, when given) gets the output's gradient summed over the samples and positions.
  const needsBias = n.inputs.length > 3 && n.needs(3);
  const { readers, geometry } = n.params;
  if (!isGradEnabled()) {
    const dX = n.needs(1) ? unfoldMatmulInputGrad(weight, g, index, width, readers, geometry) : null;
    if (n.needs(0) && needsBias) {
      const [dWeight, dBias] = weightAndBiasGrads(g, x, index, kg, geometry);
      return [dWeight, dX, null, dBias];
    }
    return [n.needs(0) ? unfoldMatmulWeightGrad(g, x, index, geometry) : null, dX, null, needsBias ? biasGrad(g) : null];
  }
  const dWeight = n.needs(0) ? g.matmul(unfoldColumns(x, index, groups, kg).transpose(2, 3)).sum(0) : null;
  const dX = n.needs(1) ? composedInputGrad(weight, g, index, width, readers) : null;
  return [dWeight, dX, null, needsBias ? biasGrad(g) : null];
}

const biasGrad = (g: Tensor): Tensor => g.sum([0, 3]).reshape([g.shape[1] * g.shape[2]]);

/**
 * The weight's and the bias's gradients from one weight-gradient product: x gets a column of ones and each group's
 * window rows one more row reading it, so the product's last column sums the gradient over samples and positions
 * (a separate sum was another pass over the whole output gradient, in JavaScript on the CPU).
 */
function weightAndBiasGrads(g: Tensor, x: Tensor, index: Tensor, kg: number, geometry: ConvGeometry | null): [Tensor, Tensor] {
  const [n, m] = x.shape;
  const [, groups, og] = g.shape;
  const withOnes = cat([x, ones([n, 1], { dtype: x.dtype, device: x.device })], 1);
  const both = unfoldMatmulWeightGrad(g, withOnes, readsWithOnes(index, groups, kg, m), geometry); // [G, Og, Kg + 1]
  return [both.narrow(2, 0, kg), both.select(2, kg).reshape([groups * og])];
}

/** Per index tensor (a convolution's, cached per geometry), its window reads with each group's extra row of `m`s. */
const withOnesRow = new WeakMap<Tensor, { version: number; m: number; reads: Tensor }>();

function readsWithOnes(index: Tensor, groups: number, kg: number, m: number): Tensor {
  const known = withOnesRow.get(index);
  if (known && known.version === index._storage.version && known.m === m) return known.reads;
  const l = index.shape[0] / (groups * kg);
  const ownRows = index.reshape([groups, kg * l]);
  const onesRow = full([groups, l], m, { dtype: index.dtype, device: index.device });
  // Cached across steps: no scope (the backward's own, on a GPU) may dispose it.
  const reads = keep(cat([ownRows, onesRow], 1).reshape([groups * (kg + 1) * l]));
  withOnesRow.set(index, { version: index._storage.version, m, reads });
  return reads;
}
