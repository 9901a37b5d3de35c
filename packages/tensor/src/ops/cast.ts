import type { DType } from '@descent/backend';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';

const castBody: OpBody<'cast', Tensor> = ([x], { dtype }) => k.cast(x, dtype);
const PARAMS: Record<DType, { readonly dtype: DType }> = {
  float32: { dtype: 'float32' },
  int32: { dtype: 'int32' },
  bool: { dtype: 'bool' },
};

/** `x.to(dtype)`: a copy in the new dtype; the same tensor when the dtype already matches. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return run('cast', [x], PARAMS[dtype], castBody);
}
