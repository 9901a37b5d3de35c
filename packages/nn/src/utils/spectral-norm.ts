import { empty, noGrad, type RemovableHandle, type Tensor } from '@descent/tensor';
import { normalize } from '../functional/lp-normalize.js';
import type { Module } from '../module.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../modules/conv.js';
import { Parameter } from '../parameter.js';

/**
 * `torch.nn.utils.spectral_norm`: the weight divided by its largest singular value, estimated by power iteration on
 * the weight as a matrix (`dim` first, default 0; 1 for transposed convolutions). The parameter becomes
 * `name_orig`, the vectors `name_u` and `name_v` are buffers (drawn from the global generator, as PyTorch draws
 * them), and in training mode each forward runs `nPowerIterations` steps first, updating them.
 */
export interface SpectralNormOptions {
  nPowerIterations?: number;
  eps?: number;
  dim?: number | null;
}

interface SpectralNormState {
  dim: number;
  eps: number;
  iterations: number;
  hook: RemovableHandle;
}

const applied = new WeakMap<Module, Map<string, SpectralNormState>>();

const attributes = (module: Module): Record<string, unknown> => module as unknown as Record<string, unknown>;

/** The weight as a [height, rest] matrix with `dim` first, as `reshape_weight_to_matrix`. */
function asMatrix(weight: Tensor, dim: number): Tensor {
  const moved = dim === 0 ? weight : weight.permute([dim, ...weight.shape.map((_, d) => d).filter((d) => d !== dim)]);
  return moved.reshape([moved.shape[0], -1]);
}

function computeWeight(module: Module, name: string, state: SpectralNormState, powerIteration: boolean): Tensor {
  const own = attributes(module);
  const weight = own[`${name}_orig`] as Tensor;
  let u = own[`${name}_u`] as Tensor;
  let v = own[`${name}_v`] as Tensor;
  const matrix = asMatrix(weight, state.dim);
  if (powerIteration) {
    noGrad(() => {
      // PyTorch normalizes into the buffers (`out=`), then uses clones of them.
      for (let i = 0; i < state.iterations; i++) {
        v.copy_(normalize(matrix.t().mv(u), { dim: 0, eps: state.eps }));
        u.copy_(normalize(matrix.mv(v), { dim: 0, eps: state.eps }));
      }
    });
    if (state.iterations > 0) [u, v] = [u.clone(), v.clone()];
  }
  const sigma = u.dot(matrix.mv(v));
  return weight.div(sigma);
}

export function spectralNorm<M extends Module>(module: M, name = 'weight', options: SpectralNormOptions = {}): M {
  const states = applied.get(module) ?? new Map<string, SpectralNormState>();
  if (states.has(name)) throw new Error(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
  const weight = attributes(module)[name];
  if (!(weight instanceof Parameter)) throw new Error(`Module '${module.constructor.name}' has no parameter or buffer with name '${name}'`);
  const transposed = module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d;
  const dim = options.dim ?? (transposed ? 1 : 0);
  const eps = options.eps ?? 1e-12;
  const [h, w] = asMatrix(weight, dim).shape;
  const draw = (n: number): Tensor => noGrad(() => normalize(empty([n], { dtype: weight.dtype, device: weight.device }).normal_(0, 1), { dim: 0, eps }));
  const u = draw(h);
  const v = draw(w);
  delete attributes(module)[name];
  module.registerParameter(`${name}_orig`, weight);
  attributes(module)[name] = weight.detach();
  module.registerBuffer(`${name}_u`, u);
  module.registerBuffer(`${name}_v`, v);
  const state: SpectralNormState = { dim, eps, iterations: options.nPowerIterations ?? 1, hook: undefined as unknown as RemovableHandle };
  state.hook = module.registerForwardPreHook(() => {
    attributes(module)[name] = computeWeight(module, name, state, module.training);
  });
  states.set(name, state);
  applied.set(module, states);
  return module;
}

/** `torch.nn.utils.remove_spectral_norm`: the normalized weight (no power iteration) made the parameter again. */
export function removeSpectralNorm<M extends Module>(module: M, name = 'weight'): M {
  const state = applied.get(module)?.get(name);
  if (!state) throw new Error(`spectral_norm of '${name}' not found in ${String(module)}`);
  const weight = noGrad(() => computeWeight(module, name, state, false));
  state.hook.remove();
  applied.get(module)?.delete(name);
  for (const suffix of ['', '_u', '_v', '_orig']) delete attributes(module)[`${name}${suffix}`];
  module._bufferSpecs.delete(`${name}_u`);
  module._bufferSpecs.delete(`${name}_v`);
  module.registerParameter(name, new Parameter(weight.detach()));
  return module;
}
