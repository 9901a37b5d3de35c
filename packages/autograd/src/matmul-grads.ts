import type { Tensor } from '@descent/tensor';

/** Whether a matrix is stored column-major: a transposed contiguous one, such as nn.Linear's `weight.t()`. */
function columnMajor(t: Tensor): boolean {
  const [rowStride, colStride] = t.stride();
  return rowStride === 1 && colStride === t.shape[0];
}

/**
 * The gradient of `mat1` in `mat1 @ mat2`, in `mat1`'s own layout as PyTorch's `mm_mat1_backward` makes it: a
 * column-major `mat1` gets the transpose of a row-major product, so the gradient that flows back through the
 * transpose is contiguous (and accumulates into `.grad` without a strided gather). Every element sums the same
 * terms in the same order either way.
 */
export function mat1Grad(grad: Tensor, mat1: Tensor, mat2: Tensor): Tensor {
  return columnMajor(mat1) ? mat2.mm(grad.t()).t() : grad.mm(mat2.t());
}

/** The gradient of `mat2` in `mat1 @ mat2`, in `mat2`'s layout (PyTorch's `mm_mat2_backward`). */
export function mat2Grad(grad: Tensor, mat1: Tensor, mat2: Tensor): Tensor {
  return columnMajor(mat2) ? grad.t().mm(mat1).t() : mat1.t().mm(grad);
}
