import { enableGrad, stack, zeros, zerosLike, type Tensor } from '@descent/tensor';
import { asTuple, autogradGrad, checkStrict, gradPostprocess, gradPreprocess, untuple, type FunctionalOptions, type TensorFunction } from './common.js';

/** What `jacobian` returns: one tensor, or arrays indexed by output then input, as the function's tuples were. */
export type JacobianResult = Tensor | Tensor[] | Tensor[][];

/**
 * `torch.autograd.functional.jacobian(func, inputs, create_graph=False, strict=False)`: for each output and input,
 * the tensor of shape `output.shape + input.shape`, one reverse pass per output element (PyTorch's default
 * `strategy="reverse-mode"`, `vectorize=False`).
 */
export function jacobian(func: TensorFunction, inputs: Tensor | Tensor[], options: FunctionalOptions = {}): JacobianResult {
  checkStrict('jacobian', options);
  const createGraph = options.createGraph ?? false;
  return enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(inputs, 'inputs', 'jacobian');
    const ins = gradPreprocess(raw, createGraph, true);
    const [isOutputsTuple, outs] = asTuple(func(...ins), 'outputs of the user-provided function', 'jacobian');
    const rows = outs.map((out) => {
      const flatOut = out.reshape(-1);
      const perInput: Tensor[][] = ins.map(() => []);
      for (let j = 0; j < out.numel(); j++) {
        const vj = autogradGrad([flatOut.select(0, j)], ins, null, createGraph);
        vj.forEach((g, k) => perInput[k].push(g ?? zerosLike(ins[k])));
      }
      const blocks = perInput.map((grads, k) => {
        const shape = [...out.shape, ...ins[k].shape];
        return grads.length === 0 ? zeros(shape, { dtype: ins[k].dtype, device: ins[k].device }) : stack(grads, 0).view(shape);
      });
      return untuple(gradPostprocess(blocks, createGraph), isInputsTuple);
    });
    return isOutputsTuple ? (rows as Tensor[] | Tensor[][]) : rows[0];
  });
}

/**
 * `torch.autograd.functional.hessian(func, inputs, create_graph=False, strict=False)`: the Jacobian of the gradient of
 * a function returning one element; for several inputs, an array of arrays indexed by input pairs.
 */
export function hessian(func: TensorFunction, inputs: Tensor | Tensor[], options: FunctionalOptions = {}): JacobianResult {
  checkStrict('hessian', options);
  const [isInputsTuple] = asTuple(inputs, 'inputs', 'hessian');
  const ensureSingleOutput = (...inp: Tensor[]): Tensor => {
    const out = func(...inp);
    const [isOutTuple, t] = asTuple(out, 'outputs of the user-provided function', 'hessian');
    if (isOutTuple || t.length !== 1) throw new Error('The function given to hessian should return a single Tensor');
    if (t[0].numel() !== 1) throw new Error('The Tensor returned by the function given to hessian should contain a single element');
    return t[0].squeeze();
  };
  const jacFunc = (...inp: Tensor[]): Tensor | Tensor[] => jacobian(ensureSingleOutput, isInputsTuple ? inp : inp[0], { createGraph: true }) as Tensor | Tensor[];
  return jacobian(jacFunc, inputs, { createGraph: options.createGraph ?? false });
}
