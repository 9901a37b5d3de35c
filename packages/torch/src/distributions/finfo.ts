import type { DType } from '@descent/tensor';

/** `torch.finfo(dtype).eps` and `.min` for the float dtypes a distribution's parameters take. */
const FINFO = {
  float32: { eps: 2 ** -23, min: -3.4028234663852886e38 },
  float64: { eps: Number.EPSILON, min: -Number.MAX_VALUE },
} as const;

export function finfo(dtype: DType): { eps: number; min: number } {
  const info = FINFO[dtype as keyof typeof FINFO];
  if (!info) throw new TypeError(`torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'`);
  return info;
}
