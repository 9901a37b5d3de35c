import { Function as AutogradFunction, type FunctionCtx } from '@descent/autograd';
import { bindArgs, full, presentAs, tensor, where, type ArgsThenOptions, type Device, type Tensor } from '@descent/tensor';
import { ctcOnHost, type CtcPass } from './ctc-alignment.js';
import { ctcOnDevice } from './ctc-device.js';
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

/** A (readable) tensor's values on the host. */
const hostValues = (t: Tensor): number[] => Array.from(t.dataSync(), Number);

/** The lengths on the host, where they decide the recursions' masks (PyTorch takes them as int lists too). */
function lengthList(name: string, v: Lengths): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return [...(v as number[])];
  const t = v as Tensor;
  if (!t.device.supports('readSync')) {
    throw new Error(`ctc_loss: ${name} on ${t.device.type} cannot be read synchronously: give the lengths as arrays or CPU tensors.`);
  }
  return hostValues(t);
}

/** ATen's checks of `[N, S]` padded or 1-D concatenated targets against the target lengths. */
function checkTargets(targets: Tensor, targetLengths: number[], batch: number): void {
  if (targets.ndim === 1) {
    const total = targetLengths.reduce((a, b) => a + b, 0);
    if (targets.shape[0] !== total) {
      throw new RangeError(`Expected tensor to have size ${total} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets' ${CHECKING}`);
    }
    return;
  }
  if (targets.shape[0] !== batch) {
    throw new RangeError(`Expected tensor to have size ${batch} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets' ${CHECKING}`);
  }
  const longest = Math.max(0, ...targetLengths);
  if (targets.shape[1] < longest) {
    throw new RangeError(`Expected tensor to have size at least ${longest} at dimension 1, but got size ${targets.shape[1]} for argument #2 'targets' ${CHECKING}`);
  }
}

/** Each sample's target labels, read on the host. */
function hostTargets(targets: Tensor, targetLengths: number[]): number[][] {
  const values = hostValues(targets.contiguous());
  let offset = 0;
  if (targets.ndim === 1) return targetLengths.map((n) => values.slice(offset, (offset += n)));
  const width = targets.shape[1];
  return targetLengths.map((n, b) => values.slice(b * width, b * width + n));
}

/** The targets as int64 `[N, S]` (S the longest) on `device`, concatenated ones padded with their last label. */
function paddedTargets(targets: Tensor, targetLengths: number[], device: Device): Tensor {
  const longest = Math.max(0, ...targetLengths);
  const t = targets.to(device).to('int64');
  if (t.ndim === 2) return t.narrow(1, 0, longest);
  const index: number[] = [];
  let offset = 0;
  for (const n of targetLengths) {
    for (let s = 0; s < longest; s++) index.push(offset + Math.min(s, Math.max(n - 1, 0)));
    offset += n;
  }
  if (index.length === 0 || t.shape[0] === 0) return full([targetLengths.length, longest], 0, { dtype: 'int64', device });
  return t.indexSelect(0, tensor(index, { dtype: 'int64', device })).reshape([targetLengths.length, longest]);
}

/** The per-sample losses as one node whose backward is ATen's CTC gradient (see ctc-alignment.ts). */
class CtcLoss extends AutogradFunction {
  static forward(ctx: FunctionCtx, _logProbs: Tensor, run: () => CtcPass): Tensor {
    const pass = run();
    ctx.pass = pass;
    return pass.nll;
  }

  static backward(ctx: FunctionCtx, gradOutput: Tensor): [Tensor, null] {
    return [(ctx.pass as CtcPass).gradient(gradOutput), null];
  }
}

/**
 * The Connectionist Temporal Classification loss of `[T, N, C]` (or unbatched `[T, C]`) log probabilities against
 * `[N, S]` padded or concatenated targets, as `F.ctc_loss(log_probs, targets, input_lengths, target_lengths,
 * blank=0, reduction='mean', zero_infinity=False)`: 'mean' divides each loss by its target length, then averages.
 * Computed as PyTorch's CPU kernel, values and gradients (the log_probs gradient is PyTorch's, which assumes the
 * log probabilities come from a log_softmax): on the host for CPU tensors, as tensor ops on other devices.
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
  checkTargets(targets, lengths, batch);
  for (const length of inputs) {
    if (length > time) throw new RangeError(`Expected input_lengths to have value at most ${time}, but got value ${length} ${CHECKING}`);
  }
  // Where the host can read the log probabilities and targets, ATen's CPU kernel step for step; elsewhere the same
  // recursions as tensor ops on the device.
  const onHost = lp.device.supports('readSync') && targets.device.supports('readSync');
  const run = (): CtcPass =>
    onHost
      ? ctcOnHost({ logProbs: hostValues(lp.detach().contiguous()), time, batch, labels, inputLengths: inputs, targets: hostTargets(targets, lengths), blank }, zeroInfinity, lp)
      : ctcOnDevice(lp.detach(), paddedTargets(targets, lengths, lp.device), inputs, lengths, blank, zeroInfinity);
  let res = presentAs(CtcLoss.apply(lp, run), 'CtcLossBackward0', [lp]);
  if (zeroInfinity) res = where(res.eq(Infinity), 0, res);
  if (red === 'mean') return res.div(tensor(lengths, { dtype: res.dtype, device: res.device }).clamp(1, null)).mean();
  if (red === 'sum') return res.sum();
  return batched ? res : res.squeeze(0);
}
