import { bindArgs, isTensor, noGrad, stack, tensor, type ArgsThenOptions, type Tensor } from '@descent/tensor';

/** `clip_grad_norm_`'s arguments after the parameters, by keyword: `clip_grad_norm_(ps, max_norm=1.0)`. */
export interface ClipGradNormOptions {
  maxNorm?: number;
  /** The p of the norm: any number, `Infinity` or `-Infinity`. Default 2. */
  normType?: number;
  /** Raise when the total norm is NaN or infinite. Default false. */
  errorIfNonfinite?: boolean;
}

const CLIP_GRAD_NORM = { fn: 'clip_grad_norm_', required: ['maxNorm'], positional: ['normType', 'errorIfNonfinite'] };

/**
 * Scales the gradients of `parameters` in place so that their combined `normType`-norm is at most `maxNorm`, and
 * returns that norm (before clipping) as a 0-d tensor, as `torch.nn.utils.clip_grad_norm_` in PyTorch 1.13:
 * the scale is `maxNorm / (totalNorm + 1e-6)`, clamped to 1. `normType` may be any p, `Infinity` or `-Infinity`.
 */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  ...args: ArgsThenOptions<[maxNorm: number, normType: number, errorIfNonfinite: boolean], ClipGradNormOptions>
): Tensor {
  const bound = bindArgs<ClipGradNormOptions>(CLIP_GRAD_NORM, args);
  const { maxNorm, normType = 2, errorIfNonfinite = false } = bound as Required<Pick<ClipGradNormOptions, 'maxNorm'>> & ClipGradNormOptions;
  if (typeof maxNorm !== 'number' || typeof normType !== 'number') {
    throw new TypeError(`clipGradNorm_(): maxNorm and normType must be numbers, got ${typeof maxNorm} and ${typeof normType}`);
  }
  const grads = parametersWithGrad(parameters);
  if (grads.length === 0) return tensor(0, { dtype: 'float32' });
  return noGrad(() => {
    const norms = grads.map((g) => vectorNorm(g.detach(), normType));
    const totalNorm = norms.length === 1 && !Number.isFinite(normType) ? norms[0] : vectorNorm(stack(norms), normType);
    if (errorIfNonfinite && !Number.isFinite(totalNorm.item() as number)) {
      throw new Error(
        `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be ` +
          'clipped. To disable this error and scale the gradients by the non-finite norm anyway, set ' +
          '`errorIfNonfinite=false`',
      );
    }
    const clipCoef = totalNorm.add(1e-6).reciprocal().mul(maxNorm);
    const clipCoefClamped = clipCoef.clamp(null, 1);
    for (const grad of grads) grad.detach().mul_(clipCoefClamped);
    return totalNorm;
  });
}

/** The gradients of `parameters` that are set (a lone tensor counts as one parameter). */
export function parametersWithGrad(parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const list = isTensor(parameters) ? [parameters] : Array.from(parameters);
  for (const p of list) {
    if (!isTensor(p)) throw new TypeError(`expected parameters to be Tensors, but got ${typeof p}`);
  }
  return list.flatMap((p) => (p.grad === null ? [] : [p.grad]));
}

/** `torch.linalg.vector_norm(x, ord)` over all elements. */
function vectorNorm(x: Tensor, ord: number): Tensor {
  if (ord === Infinity) return x.abs().amax();
  if (ord === -Infinity) return x.abs().amin();
  if (ord === 0) return x.ne(0).float().sum();
  if (ord === 1) return x.abs().sum();
  if (ord === 2) return x.mul(x).sum().sqrt();
  return x.abs().pow(ord).sum().pow(1 / ord);
}
