import { enableGrad, isGradEnabled, zerosLike, type Tensor } from '@descent/tensor';
import {
  asTuple, autogradGrad, checkStrict, fillInZeros, gradPostprocess, gradPreprocess, untuple, validateV,
  type FunctionalOptions, type TensorFunction,
} from './common.js';
import { withGradMode, type FunctionalResult } from './vjp-jvp.js';

/** The steps vhp and hvp share: inputs made leaves, `v` checked, one output with one element, its gradient kept. */
function prepare(name: string, func: TensorFunction, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null, createGraph: boolean) {
  const [isInputsTuple, raw] = asTuple(inputs, 'inputs', name);
  const ins = gradPreprocess(raw, createGraph, true);
  let vs: Tensor[] | null = null;
  if (v !== null) {
    vs = gradPreprocess(asTuple(v, 'v', name)[1], createGraph, false);
    validateV(vs, ins, isInputsTuple);
  } else if (ins.length !== 1 || ins[0].numel() !== 1) {
    throw new Error('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
  }
  const [isOutputsTuple, outs] = asTuple(func(...ins), 'outputs of the user-provided function', name);
  if (isOutputsTuple) throw new Error(`The function given to ${name} should return a single Tensor`);
  if (outs[0].numel() !== 1) throw new Error(`The Tensor returned by the function given to ${name} should contain a single element`);
  const jac = autogradGrad(outs, ins, null, true);
  return { isInputsTuple, ins, vs, outs, jac };
}

/**
 * `torch.autograd.functional.vhp(func, inputs, v=None, create_graph=False, strict=False)`: the function's output and
 * the vector-Hessian product `v^T H`.
 */
export function vhp(func: TensorFunction, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null = null, options: FunctionalOptions = {}): FunctionalResult {
  checkStrict('vhp', options);
  const createGraph = options.createGraph ?? false;
  const { isInputsTuple, ins, vs, outs, jac } = enableGrad(() => prepare('vhp', func, inputs, v, createGraph));
  const result = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(autogradGrad(jac, ins, vs, createGraph), ins));
  return [gradPostprocess(outs, createGraph)[0], untuple(gradPostprocess(result, createGraph), isInputsTuple)];
}

/**
 * `torch.autograd.functional.hvp(func, inputs, v=None, create_graph=False, strict=False)`: the function's output and
 * the Hessian-vector product `H v`, by differentiating the vector-Hessian product against its vector, as PyTorch.
 */
export function hvp(func: TensorFunction, inputs: Tensor | Tensor[], v: Tensor | Tensor[] | null = null, options: FunctionalOptions = {}): FunctionalResult {
  checkStrict('hvp', options);
  const createGraph = options.createGraph ?? false;
  const { isInputsTuple, ins, vs, outs, gradJac, doubleBack } = enableGrad(() => {
    const prepared = prepare('hvp', func, inputs, v, createGraph);
    const zeros = prepared.ins.map((inp) => zerosLike(inp).requiresGrad_(true));
    return { ...prepared, gradJac: zeros, doubleBack: autogradGrad(prepared.jac, prepared.ins, zeros, true) };
  });
  const result = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(autogradGrad(doubleBack, gradJac, vs, createGraph), ins));
  return [gradPostprocess(outs, createGraph)[0], untuple(gradPostprocess(result, createGraph), isInputsTuple)];
}
