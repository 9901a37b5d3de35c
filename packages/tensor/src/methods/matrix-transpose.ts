import * as views from '../ops/views.js';
import { Tensor } from '../tensor.js';

declare module '../tensor.js' {
  interface Tensor {
    /** `x.mT`: the last two dims swapped (a batch of matrices transposed); at least 2-D, as PyTorch. */
    readonly mT: Tensor;
    /** `x.mH`: the conjugate transpose of the matrices, which for real tensors is `mT`. */
    readonly mH: Tensor;
  }
}

function matrixTranspose(x: Tensor, name: string): Tensor {
  if (x.ndim < 2) throw new RangeError(`tensor.${name} is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`);
  return views.transpose(x, -2, -1);
}

for (const name of ['mT', 'mH']) {
  Object.defineProperty(Tensor.prototype, name, {
    get(this: Tensor) {
      return matrixTranspose(this, name);
    },
    configurable: true,
    enumerable: false,
  });
}
