// torch.nn.init's structured initializers: orthogonal_ (from the seeded normal stream, as PyTorch's) and dirac_.
// The small matrix algebra runs on the host in float64, then the values are copied into the tensor.
import { bindArgs, empty, noGrad, tensor as fromValues, type ArgsThenOptions, type Generator, type Tensor } from '@descent/tensor';

/**
 * Q of the QR factorization of `a` (`m x n`, `m >= n`, row-major) with R's diagonal made non-negative: modified
 * Gram-Schmidt, run twice per column so Q stays orthogonal to float64 rounding. This is the Q PyTorch gets from
 * LAPACK's Householder QR after multiplying by `sign(diag(R))` (a zero diagonal zeroes its column, as there).
 */
function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    let rjj = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k] * q[i * n + j];
        for (let i = 0; i < m; i++) q[i * n + j] -= dot * q[i * n + k];
      }
    }
    for (let i = 0; i < m; i++) rjj += q[i * n + j] ** 2;
    const norm = Math.sqrt(rjj);
    for (let i = 0; i < m; i++) q[i * n + j] = norm === 0 ? 0 : q[i * n + j] / norm;
  }
  return q;
}

/** The host values of `t` transposed (`rows x cols` to `cols x rows`). */
function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}

/**
 * Fills `tensor` (2 or more dims, flattened to `[size(0), rest]`) with a (semi-)orthogonal matrix scaled by
 * `gain`, as `nn.init.orthogonal_(tensor, gain=1)`: the QR factorization of a standard normal matrix drawn from
 * the generator as PyTorch draws it, so the same seed gives PyTorch's matrix (to float32 rounding).
 */
export function orthogonal_(tensor: Tensor, ...args: ArgsThenOptions<[gain: number], { gain?: number; generator?: Generator }>): Tensor {
  const { gain = 1, ...options } = bindArgs<{ gain?: number; generator?: Generator }>({ fn: 'orthogonal_', required: 1, positional: ['gain'], keywordOnly: ['generator'] }, args);
  if (tensor.ndim < 2) throw new Error('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0];
  const cols = tensor.numel() / rows;
  const drawn = empty([rows, cols], { dtype: tensor.dtype }).normal_(0, 1, options);
  let values: Float64Array = Float64Array.from(drawn.dataSync() as Float32Array, Number);
  const wide = rows < cols;
  if (wide) values = transpose(values, rows, cols);
  let q = orthonormalColumns(values, Math.max(rows, cols), Math.min(rows, cols));
  if (wide) q = transpose(q, cols, rows);
  const result = fromValues(Array.from(q), { dtype: tensor.dtype }).reshape(tensor.shape);
  return noGrad(() => tensor.copy_(result).mul_(gain));
}

/**
 * The identity of a convolution: 1 at the centre of each kernel on the diagonal of each group's channels, 0
 * elsewhere, as `nn.init.dirac_(tensor, groups=1)` for 3-, 4- and 5-D weights.
 */
export function dirac_(tensor: Tensor, groups = 1): Tensor {
  const dims = tensor.ndim;
  if (dims < 3 || dims > 5) throw new Error('Only tensors with 3, 4, or 5 dimensions are supported');
  const [out, inChannels, ...kernel] = tensor.shape;
  if (out % groups !== 0) throw new Error('dim 0 must be divisible by groups');
  const perGroup = out / groups;
  const values = new Float64Array(tensor.numel());
  const kernelSize = kernel.reduce((a, b) => a * b, 1);
  // Row-major offset of the kernel centre, `size // 2` in each spatial dim.
  const centre = kernel.reduce((offset, size) => offset * size + Math.floor(size / 2), 0);
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(perGroup, inChannels); d++) {
      values[((g * perGroup + d) * inChannels + d) * kernelSize + centre] = 1;
    }
  }
  const result = fromValues(Array.from(values), { dtype: tensor.dtype }).reshape(tensor.shape);
  return noGrad(() => tensor.copy_(result));
}
