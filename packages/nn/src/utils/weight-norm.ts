import { presentAs, type RemovableHandle, type Tensor } from '@descent/tensor';
import type { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/**
 * `torch.nn.utils.weight_norm`: a parameter recast as a direction `v` and a magnitude `g` (`name_v`, `name_g`, which
 * replace it in the parameters and the state dict), the weight recomputed as `v * (g / ‖v‖)` before every forward,
 * the norm taken over every dim but `dim` (all of them for `dim = null`).
 */
interface WeightNormState {
  name: string;
  dim: number;
  hook: RemovableHandle;
}

const applied = new WeakMap<Module, Map<string, WeightNormState>>();

/**
 * PyTorch's `norm_except_dim(v, 2, dim)`: the 2-norm over every dim but `dim`, kept for broadcasting; -1 (what
 * `dim=None` becomes) is the norm of the whole tensor, as in PyTorch, not of all but the last dim.
 */
function normExceptDim(v: Tensor, dim: number): Tensor {
  if (dim === -1) return v.norm();
  const except = dim < 0 ? dim + v.ndim : dim;
  const keep = v.shape.map((_, d) => d).filter((d) => d !== except);
  return keep.length === 0 ? v.abs() : v.pow(2).sum(keep, { keepdim: true }).sqrt();
}

/**
 * `torch._weight_norm(v, g, dim)`: `v * (g / norm_except_dim(v, 2, dim))`; PyTorch's fused kernel
 * (WeightNormInterfaceBackward0) serves a kept dim, the whole-tensor norm is composed there too (MulBackward0).
 */
function weightNormOf(v: Tensor, g: Tensor, dim: number): Tensor {
  const weight = v.mul(g.div(normExceptDim(v, dim)));
  return dim === -1 ? weight : presentAs(weight, 'WeightNormInterfaceBackward0', [v, g]);
}

function attributes(module: Module): Record<string, unknown> {
  return module as unknown as Record<string, unknown>;
}

export function weightNorm<M extends Module>(module: M, name = 'weight', dim: number | null = 0): M {
  const states = applied.get(module) ?? new Map<string, WeightNormState>();
  if (states.has(name)) throw new Error(`Cannot register two weight_norm hooks on the same parameter ${name}`);
  const weight = attributes(module)[name];
  if (!(weight instanceof Parameter)) throw new Error(`Module '${module.constructor.name}' has no parameter or buffer with name '${name}'`);
  const d = dim ?? -1;
  delete attributes(module)[name];
  module.registerParameter(`${name}_g`, new Parameter(normExceptDim(weight.detach(), d)));
  module.registerParameter(`${name}_v`, new Parameter(weight.detach()));
  const compute = (): void => {
    attributes(module)[name] = weightNormOf(attributes(module)[`${name}_v`] as Tensor, attributes(module)[`${name}_g`] as Tensor, d);
  };
  compute();
  const hook = module.registerForwardPreHook(() => {
    compute();
  });
  states.set(name, { name, dim: d, hook });
  applied.set(module, states);
  return module;
}

/** `torch.nn.utils.remove_weight_norm`: the weight computed once more and made a parameter again. */
export function removeWeightNorm<M extends Module>(module: M, name = 'weight'): M {
  const state = applied.get(module)?.get(name);
  if (!state) throw new Error(`weight_norm of '${name}' not found in ${String(module)}`);
  const weight = weightNormOf(attributes(module)[`${name}_v`] as Tensor, attributes(module)[`${name}_g`] as Tensor, state.dim).detach();
  state.hook.remove();
  applied.get(module)?.delete(name);
  delete attributes(module)[name];
  delete attributes(module)[`${name}_g`];
  delete attributes(module)[`${name}_v`];
  module.registerParameter(name, new Parameter(weight));
  return module;
}
