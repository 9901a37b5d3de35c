import { cat, isTensor, noGrad, type Tensor } from '@descent/tensor';
import { pyTypeName } from '../python-repr.js';

/** Every parameter flattened and joined into one vector, as `torch.nn.utils.parameters_to_vector(parameters)`. */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const params = [...parameters];
  const device = params[0]?.device;
  for (const p of params) {
    if (p.device !== device) throw new Error('Found two parameters on different devices, this is currently not supported.');
  }
  return cat(params.map((p) => p.reshape([-1])));
}

/**
 * Copies consecutive slices of `vec` into the parameters, as `torch.nn.utils.vector_to_parameters(vec,
 * parameters)`. PyTorch rebinds each `param.data` to a view of `vec`; here the values are copied into each
 * parameter's own storage (the same values; the parameters do not alias `vec` afterwards).
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!isTensor(vec)) throw new TypeError(`expected torch.Tensor, but got: ${pyTypeName(vec)}`);
  let offset = 0;
  noGrad(() => {
    for (const p of parameters) {
      if (p.device !== vec.device) throw new Error('Found two parameters on different devices, this is currently not supported.');
      const n = p.numel();
      p.copy_(vec.narrow(0, offset, n).reshape(p.shape));
      offset += n;
    }
  });
}
