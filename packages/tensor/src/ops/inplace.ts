import { hostArray, type DType } from '@descent/backend';
import { category, scalarTypeName } from '../dtype.js';
import { gradMode } from '../grad-mode.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { cast } from './cast.js';
import { fromHost } from './upload.js';
import { checkedElement } from './convert.js';
import { checkViewWritable, recordWriteThroughView } from './view-history.js';
import { GradNode } from '../graph.js';

export interface GeneratorOption {
  generator?: Generator;
}

/** PyTorch forbids in-place ops on a leaf that requires grad while grad mode is on. */
function checkWritable(self: Tensor): void {
  if (gradMode.enabled && self.isLeaf && self.requiresGrad) {
    throw new Error(
      'a leaf Variable that requires grad is being used in an in-place operation. ' +
        'Wrap the update in torch.noGrad(() => ...) or use .detach().',
    );
  }
}

function bump(self: Tensor): void {
  self._storage.version++;
}

/** Inputs: the source (broadcast to the destination's shape, same dtype), then the destination. */
const copyIntoBody: OpBody<'copyInto', void> = ([src, dst]) => k.copyInto(src, dst);
const fillBody: OpBody<'fill', void> = ([dst], { value }) => k.fill(dst, value);

/** Writes `src` through `dst`'s view, converting the dtype: the one write of every in-place op. */
function writeInto(src: Tensor, dst: Tensor): void {
  run('copyInto', [src.dtype === dst.dtype ? src : cast(src, dst.dtype), dst], NO_PARAMS, copyIntoBody);
  bump(dst);
}

/** A copy of `t`'s values that keeps `t`'s history, for a node that saved `t` before an in-place write. */
function snapshot(t: Tensor): Tensor {
  const copy = k.copyContiguous(t);
  const node = t.gradFn;
  if (node !== null) copy._setHistory(node);
  return copy;
}

/** In-place ops that replace every value: their node has no inputs (the old values get no gradient). */
type ReplacingOp = 'zero' | 'fillScalar' | 'uniform' | 'normal' | 'bernoulli';

/** The checks every in-place op makes before it writes. */
function checkInPlace(self: Tensor): void {
  checkWritable(self);
  checkViewWritable(self);
}

/**
 * The history of `self` after `value` was written into it: through a view, the base's `CopySlices`; otherwise a
 * node of `op` over the value, or none when nothing requires grad (grad mode off records nothing, as in PyTorch).
 */
function recordWrite(self: Tensor, value: Tensor | null, op: 'copy' | ReplacingOp): void {
  if (!gradMode.enabled) return;
  if (self._base !== null) {
    recordWriteThroughView(self, value);
    return;
  }
  const valueEdge = value !== null && value.requiresGrad ? value._gradEdge() : null;
  if (!self.requiresGrad && valueEdge === null) return;
  if (op === 'copy' && value !== null) {
    self._setHistory(new GradNode('copy', [valueEdge], [{ shape: value.shape, dtype: value.dtype }], NO_PARAMS, []));
  } else {
    self._setHistory(new GradNode(op, [], [], NO_PARAMS, []));
  }
}

/** PyTorch's `can_cast`: an in-place op may not lower the category (float into int, int into bool). */
function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

export function checkResultType(self: Tensor, result: Tensor): void {
  if (!canCast(result.dtype, self.dtype)) {
    throw new TypeError(`result type ${scalarTypeName(result.dtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  }
}

function checkBroadcast(self: Tensor, result: Tensor): void {
  if (!shapesEqual(result.shape, self.shape)) {
    const target = broadcastShapes(result.shape, self.shape);
    if (!shapesEqual(target, self.shape)) {
      throw new RangeError(
        `output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(target)}`,
      );
    }
  }
}

/**
 * Runs the out-of-place op `compute`, then writes its result through `self`'s view. The op's autograd history
 * moves to `self` (or, through a view, to the base as `CopySlices`), as PyTorch rebases history on in-place ops.
 */
export function apply<T extends Tensor>(self: T, compute: () => Tensor): T {
  checkInPlace(self);
  const result = compute();
  checkResultType(self, result);
  checkBroadcast(self, result);
  if (gradMode.enabled) result.gradFn?._preserveSaved(self._storage, snapshot);
  const value = result.dtype === self.dtype ? result : cast(result, self.dtype);
  writeInto(value, self);
  if (self._base !== null) recordWriteThroughView(self, value);
  else if (gradMode.enabled && value.gradFn) self._setHistory(value.gradFn);
  return self;
}

/** `self.copy_(src)`: `src` broadcast and converted into `self`; differentiable with respect to `src`. */
export function copyFrom<T extends Tensor>(self: T, src: Tensor): T {
  checkInPlace(self);
  const moved = src.device === self.device ? src : src.to(self.device);
  checkBroadcast(self, moved);
  const value = moved.dtype === self.dtype ? moved : cast(moved, self.dtype);
  writeInto(value, self);
  recordWrite(self, value, 'copy');
  return self;
}

export function fill<T extends Tensor>(self: T, value: number, op: 'zero' | 'fillScalar' = 'fillScalar'): T {
  checkInPlace(self);
  run('fill', [self], { value }, fillBody);
  bump(self);
  recordWrite(self, null, op);
  return self;
}

function writeHost<T extends Tensor>(self: T, data: Float32Array | Float64Array | Uint8Array | BigInt64Array, op: ReplacingOp): T {
  checkInPlace(self);
  const host = hostArray(self.dtype, data.length);
  if (self.dtype === 'float32' || self.dtype === 'float64') (host as Float32Array | Float64Array).set(data as Float64Array);
  else for (let i = 0; i < data.length; i++) host[i] = checkedElement(data[i], self.dtype) as never;
  writeInto(fromHost(self.device, host, self.shape, self.dtype), self);
  recordWrite(self, null, op);
  return self;
}

// A float64 tensor draws PyTorch's double stream (53-bit uniforms, normal_fill<double>), any other the float one.
export function uniform<T extends Tensor>(self: T, from: number, to: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  const n = self.numel();
  return writeHost(self, self.dtype === 'float64' ? gen.uniform64(n, from, to) : gen.uniform(n, from, to), 'uniform');
}

export function normal<T extends Tensor>(self: T, mean: number, std: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  const n = self.numel();
  return writeHost(self, self.dtype === 'float64' ? gen.normal64(n, mean, std) : gen.normal(n, mean, std), 'normal');
}

/** `x.exponential_(lambd=1)`: `-log(1 - u) / lambd` per element. */
export function exponential<T extends Tensor>(self: T, lambd: number, options: GeneratorOption = {}): T {
  if (!(lambd > 0)) throw new RangeError(`exponential_ expects lambda > 0.0, but found lambda=${lambd}`);
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.exponential(self.numel(), lambd, self.dtype === 'float64'), 'uniform');
}

/** `x.geometric_(p)`: the number of Bernoulli(p) trials up to the first success, per element. */
export function geometric<T extends Tensor>(self: T, p: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.geometric(self.numel(), p), 'uniform');
}

export function bernoulli<T extends Tensor>(self: T, p: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.bernoulli(self.numel(), p), 'bernoulli');
}

/** `x.log_normal_(mean=1, std=2)`: `exp(normal(mean, std))` per element, from the scalar normal path. */
export function logNormal<T extends Tensor>(self: T, mean: number, std: number, options: GeneratorOption = {}): T {
  if (!(std > 0)) throw new RangeError(`log_normal_ expects std > 0.0, but found std=${std}`);
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.logNormal(self.numel(), mean, std), 'normal');
}

/** `x.cauchy_(median=0, sigma=1)`: `median + sigma * tan(pi * (u - 1/2))` per element. */
export function cauchy<T extends Tensor>(self: T, median: number, sigma: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.cauchy(self.numel(), median, sigma), 'uniform');
}

/**
 * `x.random_()`, `x.random_(to)`, `x.random_(from, to)`: integers drawn uniformly from [from, to), or without bounds
 * from [0, 2^mantissa] for floats and [0, max] for integer dtypes, as PyTorch's CPU kernels draw them.
 */
export function random<T extends Tensor>(self: T, from: number | null, to: number | null, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  const n = self.numel();
  if (to === null && from === null) return writeHost(self, gen.randomBits(n, self.dtype), 'uniform');
  const [low, high] = to === null ? [0, from as number] : [from ?? 0, to];
  return writeHost(self, Float64Array.from(gen.randint(n, low, high)), 'uniform');
}
