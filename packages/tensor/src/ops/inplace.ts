import { hostArray } from '@descent/backend';
import { promoteTypes } from '../dtype.js';
import { gradMode } from '../grad-mode.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { cast } from './cast.js';
import { fromHost } from './upload.js';

export interface GeneratorOption {
  generator?: Generator;
}

const TYPE_NAME = { float32: 'Float', int32: 'Int', bool: 'Bool' } as const;

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

/**
 * Runs the out-of-place op `compute`, then writes its result through `self`'s view. The op's autograd history
 * moves to `self`, as PyTorch rebases history on in-place ops.
 */
export function apply<T extends Tensor>(self: T, compute: () => Tensor): T {
  checkWritable(self);
  const result = compute();
  if (promoteTypes(result.dtype, self.dtype) !== self.dtype) {
    throw new TypeError(`result type ${TYPE_NAME[result.dtype]} can't be cast to the desired output type ${TYPE_NAME[self.dtype]}`);
  }
  if (!shapesEqual(result.shape, self.shape)) {
    const target = broadcastShapes(result.shape, self.shape);
    if (!shapesEqual(target, self.shape)) {
      throw new RangeError(
        `output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(target)}`,
      );
    }
  }
  writeInto(result, self);
  if (result.gradFn && gradMode.enabled) self._setHistory(result.gradFn);
  return self;
}

export function fill<T extends Tensor>(self: T, value: number): T {
  checkWritable(self);
  run('fill', [self], { value }, fillBody);
  bump(self);
  return self;
}

function writeHost<T extends Tensor>(self: T, data: Float32Array | Uint8Array): T {
  checkWritable(self);
  const values = self.dtype === 'float32' && data instanceof Float32Array ? data : Float32Array.from(data);
  const host = hostArray(self.dtype, values.length);
  host.set(values);
  writeInto(fromHost(self.device, host, self.shape, self.dtype), self);
  return self;
}

export function uniform<T extends Tensor>(self: T, from: number, to: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.uniform(self.numel(), from, to));
}

export function normal<T extends Tensor>(self: T, mean: number, std: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.normal(self.numel(), mean, std));
}

export function bernoulli<T extends Tensor>(self: T, p: number, options: GeneratorOption = {}): T {
  const gen = options.generator ?? defaultGenerator;
  return writeHost(self, gen.bernoulli(self.numel(), p));
}
