import type * as torch from '@descent/torch';

type T = torch.Tensor;
/** Each case of fixtures/more_ops_shapes.py as a user writes it in TypeScript. */
export const SHAPE_CALLS: Record<string, (...xs: T[]) => T | T[] | boolean | number> = {};

/** Each error case of fixtures/more_ops_shapes.py. */
export const SHAPE_ERROR_CALLS: Record<string, () => unknown> = {};
