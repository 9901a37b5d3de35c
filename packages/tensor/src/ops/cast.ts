import type { DType } from '@descent/backend';
import { dispatch, type Forward } from '../dispatch.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';

const castForward = (dtype: DType): Forward => ([x]) => k.cast(x, dtype);
const FORWARDS: Record<DType, Forward> = {
  float32: castForward('float32'),
  int32: castForward('int32'),
  bool: castForward('bool'),
};

/** `x.to(dtype)`: a copy in the new dtype; the same tensor when the dtype already matches. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return dispatch('cast', [x], FORWARDS[dtype]);
}
