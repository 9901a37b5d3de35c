import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { gatherChecked } from './indexing.js';

const windowArgmaxBody: OpBody<'windowArgmax', Tensor> = ([x, index], { window }, device) =>
  device.supports('windowArgmax') ? k.fusedWindowArgmax(x, index, window) : composedWindowArgmax(x, index, window);

/** What backends without the kernel run: every window read, each window's first largest, and the entry it came from. */
export function composedWindowArgmax(x: Tensor, index: Tensor, window: number): Tensor {
  const [rows] = x.shape;
  const windows = index.shape[1] / window;
  const reads = gatherChecked(x, 1, index).view([rows, windows, window]);
  const winners = reads.argmax(2, { keepdim: true });
  return gatherChecked(index.reshape([rows, windows, window]), 2, winners).view([rows, windows]);
}

/**
 * Max pooling's winners: for each row of `x` ([rows, width], float) and each run of `window` entries of `index`
 * ([rows or 1, windows * window], int64 or int32, values in [0, width)), the entry whose element of `x` is the first
 * largest (NaN the largest), in the index's dtype [rows, windows]. One pass on backends with a fused kernel; elsewhere a gather,
 * an argmax and a gather. Not differentiable: the pooled values are a gather at these entries.
 */
export function windowArgmax(x: Tensor, index: Tensor, window: number): Tensor {
  if (x.ndim !== 2 || index.ndim !== 2) throw new RangeError(`windowArgmax expects 2-D x and index, got ${x.ndim}-D and ${index.ndim}-D`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`windowArgmax expects a float x, got ${x.dtype}`);
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new TypeError(`windowArgmax expects an int64 or int32 index, got ${index.dtype}`);
  if (!Number.isInteger(window) || window <= 0 || index.shape[1] % window !== 0) {
    throw new RangeError(`windowArgmax: window ${window} must be a positive divisor of the index's ${index.shape[1]} entries per row`);
  }
  const rows = x.shape[0];
  if (index.shape[0] !== rows && index.shape[0] !== 1) throw new RangeError(`windowArgmax: index has ${index.shape[0]} rows for x's ${rows}`);
  return run('windowArgmax', [x, index.expand([rows, index.shape[1]])], { window }, windowArgmaxBody);
}
