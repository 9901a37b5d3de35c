import { enableGrad, isGradEnabled, setGradEnabled, zerosLike, type Tensor } from '@descent/tensor';
import {
  asTuple, autogradGrad, checkStrict, fillInZeros, gradPostprocess, gradPreprocess, untuple, validateV,
  type FunctionalOptions, type TensorFunction,
} from './common.js';

/** `(func_output, result)`, each a tensor or an array as the function's outputs and inputs were. */
export type FunctionalResult = [Tensor | Tensor[], Tensor | Tensor[]];

/** Runs `fn` with grad mode `enabled`, restoring the mode after. */
export function withGradMode<R>(enabled: boolean, fn: () => R): R {
  const before = isGradEnabled();
  setGradEnabled(enabled);
  try {
    return fn();
  } finally {
    setGradEnabled(before);
  }
}

/**
 * `torch.autograd.functional.vjp(func, inputs, v=None, create_graph=False, strict=False)`: the function's outputs and
 * the vector-Jacobian product `v^T J` with respect to each input. `v` may be left out when the function returns one
 * element.
 */
export function vjp(func: TensorFunction, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null = null, options: FunctionalOptions = {}): FunctionalResult {
  checkStrict('vjp', options);
  const createGraph = options.createGraph ?? false;
  const [isInputsTuple, ins, outs, isOutputsTuple, vs] = enableGrad(() => {
    const [isIn, raw] = asTuple(inputs, 'inputs', 'vjp');
    const prepared = gradPreprocess(raw, createGraph, true);
    const [isOut, outputs] = asTuple(func(...prepared), 'outputs of the user-provided function', 'vjp');
    let given: Tensor[] | null = null;
    if (v !== null) {
      given = gradPreprocess(asTuple(v, 'v', 'vjp')[1], createGraph, false);
      validateV(given, outputs, isOut);
    } else if (outputs.length !== 1 || outputs[0].numel() !== 1) {
      throw new Error('The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
    }
    return [isIn, prepared, outputs, isOut, given] as const;
  });
  const result = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(autogradGrad(outs, ins, vs, createGraph), ins));
  return [untuple(gradPostprocess(outs, createGraph), isOutputsTuple), untuple(gradPostprocess(result, createGraph), isInputsTuple)];
}

/**
 * `torch.autograd.functional.jvp(func, inputs, v=None, create_graph=False, strict=False)`: the function's outputs and
 * the Jacobian-vector product `J v`, by PyTorch's double-backward trick (the backward is linear in its incoming
 * gradient, so differentiating it again against that gradient gives the forward derivative).
 */
export function jvp(func: TensorFunction, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null = null, options: FunctionalOptions = {}): FunctionalResult {
  checkStrict('jvp', options);
  const createGraph = options.createGraph ?? false;
  const [outs, isOutputsTuple, vs, gradInputs, gradOutputs] = enableGrad(() => {
    const [isIn, raw] = asTuple(inputs, 'inputs', 'jvp');
    const prepared = gradPreprocess(raw, createGraph, true);
    let given: Tensor[] | null = null;
    if (v !== null) {
      given = gradPreprocess(asTuple(v, 'v', 'jvp')[1], createGraph, false);
      validateV(given, prepared, isIn);
    } else if (prepared.length !== 1 || prepared[0].numel() !== 1) {
      throw new Error('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
    }
    const [isOut, outputs] = asTuple(func(...prepared), 'outputs of the user-provided function', 'jvp');
    const zeros = outputs.map((out) => zerosLike(out).requiresGrad_(true));
    return [outputs, isOut, given, autogradGrad(outputs, prepared, zeros, true), zeros] as const;
  });
  const result = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(autogradGrad(gradInputs, gradOutputs, vs, createGraph), outs));
  return [untuple(gradPostprocess(outs, createGraph), isOutputsTuple), untuple(gradPostprocess(result, createGraph), isOutputsTuple)];
}
