import { Function as AutogradFunction, type FunctionCtx } from '@descent/autograd';
import { bindArgs, presentAs, tensor, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { ctcAlphas, ctcGradient, type CtcProblem } from './ctc-alignment.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface CtcLossOptions {
  blank?: number;
  reduction?: Reduction;
  /** Zero the infinite losses (a target too long for its input) and their gradients. Default false. */
  zeroInfinity?: boolean;
}

/** Lengths as PyTorch takes them: a tensor or a list of ints (one per sample). */
export type Lengths = Tensor | readonly number[] | number;

const CHECKING = '(while checking arguments for ctc_loss_cpu)';

/** A tensor's values on the host: the loss runs there, as PyTorch's CPU kernel (lengths and targets are small). */
function hostValues(name: string, t: Tensor): number[] {
  if (!t.device.supports('readSync')) {
    throw new Error(`ctc_loss: ${name} on ${t.device.type} cannot be read synchronously; the loss runs on the CPU: pass CPU tensors (move them with .to('cpu') first).`);
  }
  return Array.from(t.dataSync(), Number);
}

const lengthList = (name: string, v: Lengths): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? [...(v as number[])] : hostValues(name, v as Tensor));

/** Each sample's target labels, from `[N, S]` padded or 1-D concatenated targets, with ATen's checks. */
function splitTargets(targets: Tensor, targetLengths: number[], batch: number): number[][] {
  const values = hostValues('targets', targets.contiguous());
  if (targets.ndim === 1) {
    const total = targetLengths.reduce((a, b) => a + b, 0);
    if (targets.shape[0] !== total) {
      throw new RangeError(`Expected tensor to have size ${total} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets' ${CHECKING}`);
    }
    let offset = 0;
    return targetLengths.map((n) => values.slice(offset, (offset += n)));
  }
  if (targets.shape[0] !== batch) {
    throw new RangeError(`Expected tensor to have size ${batch} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets' ${CHECKING}`);
  }
  const width = targets.shape[1];
  const longest = Math.max(0, ...targetLengths);
  if (width < longest) {
    throw new RangeError(`Expected tensor to have size at least ${longest} at dimension 1, but got size ${width} for argument #2 'targets' ${CHECKING}`);
  }
  return targetLengths.map((n, b) => values.slice(b * width, b * width + n));
}

/** The host array for a float dtype: float64 keeps its precision. */
const hostArray = (dtype: string) => (dtype === 'float64' ? Float64Array : Float32Array);

/** The per-sample losses as one node whose backward is ATen's CTC gradient (see ctc-alignment.ts). */
class CtcLoss extends AutogradFunction {
  static forward(ctx: FunctionCtx, logProbs: Tensor, problem: CtcProblem, zeroInfinity: boolean): Tensor {
    const passes = Array.from({ length: problem.batch }, (_, b) => ctcAlphas(problem, b));
    Object.assign(ctx, { problem, passes, zeroInfinity });
    const nll = new (hostArray(logProbs.dtype))(passes.length);
    passes.forEach((p, b) => (nll[b] = p.nll));
    return tensor(nll, { dtype: logProbs.dtype, device: logProbs.device });
  }

  static backward(ctx: FunctionCtx, gradOutput: Tensor): [Tensor, null, null] {
    const { problem, passes, zeroInfinity } = ctx as unknown as { problem: CtcProblem; passes: ReturnType<typeof ctcAlphas>[]; zeroInfinity: boolean };
    const gr = hostValues('the gradient', gradOutput);
    const { time, batch, labels } = problem;
    const grad = new (hostArray(gradOutput.dtype))(time * batch * labels);
    passes.forEach(({ alpha, nll }, b) => {
      ctcGradient(problem, b, alpha, nll, gr[b], zeroInfinity).forEach((row, t) => grad.set(row, (t * batch + b) * labels));
    });
    return [tensor(grad, { dtype: gradOutput.dtype, device: gradOutput.device }).reshape([time, batch, labels]), null, null];
  }
}

/**
 * The Connectionist Temporal Classification loss of `[T, N, C]` (or unbatched `[T, C]`) log probabilities against
 * `[N, S]` padded or concatenated targets, as `F.ctc_loss(log_probs, targets, input_lengths, target_lengths,
 * blank=0, reduction='mean', zero_infinity=False)`: 'mean' divides each loss by its target length, then averages.
 * Computed on the host as PyTorch's CPU kernel, values and gradients (the log_probs gradient is PyTorch's, which
 * assumes the log probabilities come from a log_softmax).
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Lengths,
  targetLengths: Lengths,
  ...args: ArgsThenOptions<[blank: number, reduction: Reduction, zeroInfinity: boolean], CtcLossOptions>
): Tensor {
  const o = bindArgs<CtcLossOptions>({ fn: 'ctc_loss', required: 4, positional: ['blank', 'reduction', 'zeroInfinity'] }, args);
  const { blank = 0, zeroInfinity = false } = o;
  const red = checkReduction(o.reduction);
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) throw new RangeError(`ctc_loss: expected log_probs of 2 (unbatched) or 3 dimensions, but got ${logProbs.ndim}`);
  const batched = logProbs.ndim === 3;
  const lp = batched ? logProbs : logProbs.unsqueeze(1);
  const [time, batch, labels] = lp.shape;
  if (!(blank < labels && blank >= 0)) throw new RangeError('blank must be in label range');
  const inputs = lengthList('input_lengths', inputLengths);
  const lengths = lengthList('target_lengths', targetLengths);
  if (inputs.length !== batch) throw new RangeError('input_lengths must be of size batch_size');
  if (lengths.length !== batch) throw new RangeError('target_lengths must be of size batch_size');
  const split = splitTargets(targets, lengths, batch);
  for (const length of inputs) {
    if (length > time) throw new RangeError(`Expected input_lengths to have value at most ${time}, but got value ${length} ${CHECKING}`);
  }
  const problem: CtcProblem = { logProbs: hostValues('log_probs', lp.detach().contiguous()), time, batch, labels, inputLengths: inputs, targets: split, blank };
  let res = presentAs(CtcLoss.apply(lp, problem, zeroInfinity), 'CtcLossBackward0', [lp]);
  if (zeroInfinity) res = where(res.eq(Infinity), 0, res);
  if (red === 'mean') return res.div(tensor(lengths, { dtype: res.dtype, device: res.device }).clamp(1, null)).mean();
  if (red === 'sum') return res.sum();
  return batched ? res : res.squeeze(0);
}
