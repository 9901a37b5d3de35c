/**
 * What a kernel's fault words mean (./fault-log.ts has the slot layout), in PyTorch's words where PyTorch has
 * them. The GPU reports one bad value when there are several (whichever thread got there first), where the CPU
 * reports the first in order.
 */

import type { Explain } from './fault-log.js';
import { OVERFLOW_WORD } from './kernels/int64.js';

/** Word 0 counts bad indices and word 2 holds one of them (./kernels/gather.ts, ./kernels/softmax.ts). */
const INDEX_WORD = 0;
const VALUE_WORD = 2;

/** gather and scatterAdd: PyTorch's "index 10 is out of bounds for dimension 0 with size 3". */
export function indexOutOfBounds(op: string, dim: number, size: number, int64 = false): Explain {
  return (w) => {
    if (w[INDEX_WORD] !== 0) return new RangeError(`${op}: index ${w[VALUE_WORD] | 0} is out of bounds for dimension ${dim} with size ${size}`);
    return int64 ? overflow(op)(w) : null;
  };
}

/** A kernel that flags a bad index without keeping it (a 'status' operand, ./launch.ts). */
export function indexOutOfRange(op: string): Explain {
  return (w) => (w[INDEX_WORD] !== 0 ? new RangeError(`${op}: an index was out of range`) : null);
}

/** The fused cross-entropy: PyTorch's nll_loss message for a class index outside [0, classes). */
export function targetOutOfBounds(): Explain {
  return (w) => (w[INDEX_WORD] !== 0 ? new RangeError(`crossEntropy: Target ${w[VALUE_WORD] | 0} is out of bounds.`) : null);
}

/** A kernel running int64's checked arithmetic (./kernels/int64.ts). */
export function overflow(op: string): Explain {
  return (w) => (w[OVERFLOW_WORD] !== 0 ? int64OverflowError(op) : null);
}

/**
 * An int64 result left int32 (see ./kernels/int64.ts): PyTorch's int64 would hold it, WebGPU's 32-bit storage
 * wrapped it, and the backend will not hand out the wrapped value.
 */
function int64OverflowError(op: string): RangeError {
  return new RangeError(
    `int64 overflow on the WebGPU device: a result of ${op} is outside -2147483648..2147483647 (or a NaN or huge ` +
      "float was converted to int64). WebGPU stores int64 as 32-bit integers, where PyTorch's int64 would hold the " +
      'value; rather than return wrapped values, the backend raises. Keep int64 tensors whose values can leave ' +
      'int32 on the CPU, or compute in float32.',
  );
}

/**
 * A batch the device rejected: none of its commands ran. Names the op whose kernel the device's message names
 * (pipelines are labelled with their key, which starts with the op), else every op of the batch.
 */
export function batchError(kind: string, ops: readonly string[], message: string): Error {
  const named = /ComputePipeline "([A-Za-z0-9]+)[:"|]/.exec(message)?.[1];
  const list = [...new Set(ops)].join(', ');
  const at = named ? `${named} (in the batch of ops [${list}])` : `the batch of ops [${list}]`;
  return new Error(`webgpu: ${kind} in ${at}; none of the batch's ops ran, so their results are lost: ${message}`);
}
