import type { UnaryOp } from '@descent/backend';
import { checkOptionKeys } from '../options.js';
import { defaultFloatDType, isFloating, promoteTypes, scalarDType, scalarTypeName } from '../dtype.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { DiffOp } from '../op-params.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { scalarTensor } from './scalar.js';

type UnaryDiffOp = Extract<DiffOp, UnaryOp>;
type Body = OpBody<UnaryDiffOp, Tensor>;

const unaryForward = (op: UnaryOp): Body => ([x]) => k.unary(op, x);

const FORWARD: Record<UnaryDiffOp, Body> = {
  neg: unaryForward('neg'),
  exp: unaryForward('exp'),
  log: unaryForward('log'),
  sqrt: unaryForward('sqrt'),
  rsqrt: unaryForward('rsqrt'),
  abs: unaryForward('abs'),
  sign: unaryForward('sign'),
  sin: unaryForward('sin'),
  cos: unaryForward('cos'),
  tanh: unaryForward('tanh'),
  sigmoid: unaryForward('sigmoid'),
  relu: unaryForward('relu'),
  reciprocal: unaryForward('reciprocal'),
  erf: unaryForward('erf'),
  round: unaryForward('round'),
  floor: unaryForward('floor'),
  ceil: unaryForward('ceil'),
};

/** Ops defined on reals: integer and bool inputs are promoted to float32, as PyTorch does. */
function floating(op: UnaryDiffOp, x: Tensor): Tensor {
  const input = isFloating(x.dtype) ? x : cast(x, defaultFloatDType());
  return run(op, [input], NO_PARAMS, FORWARD[op]);
}

/** Ops that keep the input dtype (integers stay integers). */
function sameType(op: UnaryDiffOp, x: Tensor): Tensor {
  return run(op, [x], NO_PARAMS, FORWARD[op]);
}

export function neg(x: Tensor): Tensor {
  if (x.dtype === 'bool') {
    throw new TypeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logicalNot()` operator instead.',
    );
  }
  return sameType('neg', x);
}

export const exp = (x: Tensor): Tensor => floating('exp', x);
export const log = (x: Tensor): Tensor => floating('log', x);
export const sqrt = (x: Tensor): Tensor => floating('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => floating('rsqrt', x);
export const sin = (x: Tensor): Tensor => floating('sin', x);
export const cos = (x: Tensor): Tensor => floating('cos', x);
export const tanh = (x: Tensor): Tensor => floating('tanh', x);
export const sigmoid = (x: Tensor): Tensor => floating('sigmoid', x);
export const reciprocal = (x: Tensor): Tensor => floating('reciprocal', x);
export const erf = (x: Tensor): Tensor => floating('erf', x);
export const abs = (x: Tensor): Tensor => sameType('abs', x);
export const sign = (x: Tensor): Tensor => sameType('sign', x);
export const relu = (x: Tensor): Tensor => sameType('relu', x);
export const round = (x: Tensor): Tensor => sameType('round', x);

/** floor/ceil have zero gradient everywhere (recorded as PyTorch: FloorBackward0, CeilBackward0). Integers are already whole. */
export const floor = (x: Tensor): Tensor => (isFloating(x.dtype) ? sameType('floor', x) : x);
export const ceil = (x: Tensor): Tensor => (isFloating(x.dtype) ? sameType('ceil', x) : x);

const clampForward: OpBody<'clamp', Tensor> = ([x], { min, max }) => {
  let out = x;
  if (min !== null) out = k.binary('maximum', out, scalarTensor(min, x.dtype, x.device), x.shape, x.dtype);
  if (max !== null) out = k.binary('minimum', out, scalarTensor(max, x.dtype, x.device), x.shape, x.dtype);
  return out === x ? k.copyContiguous(x) : out;
};

/** Limits values to `[min, max]`; either bound may be null. NaN stays NaN. */
export function clamp(x: Tensor, minOr: number | null | { min?: number | null; max?: number | null } = null, maxGiven: number | null = null): Tensor {
  // `x.clamp(min=0)` written `x.clamp({ min: 0 })`.
  const keywords = minOr !== null && typeof minOr === 'object';
  if (keywords) checkOptionKeys('clamp', minOr, ['min', 'max']);
  const min = keywords ? (minOr.min ?? null) : (minOr as number | null);
  const max = keywords ? (minOr.max ?? null) : maxGiven;
  if (min === null && max === null) throw new TypeError("clamp(): At least one of 'min' or 'max' must not be None");
  let dtype = x.dtype;
  if (min !== null) dtype = promoteTypes(dtype, scalarDType(min));
  if (max !== null) dtype = promoteTypes(dtype, scalarDType(max));
  const input = dtype === x.dtype ? x : cast(x, dtype);
  return run('clamp', [input], { min, max }, clampForward);
}

const leakyReluForward: OpBody<'leakyRelu', Tensor> = ([x], { negativeSlope }) => {
  const positive = k.binary('lt', scalarTensor(0, x.dtype, x.device), x, x.shape, 'bool');
  const scaled = k.binary('mul', x, scalarTensor(negativeSlope, x.dtype, x.device), x.shape, x.dtype);
  return k.where(positive, x, scaled, x.shape);
};

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  // PyTorch has no integer kernel; ours rounded the slope to the integer dtype and gave 0 for every negative value.
  if (!isFloating(x.dtype)) throw new TypeError(`"leaky_relu_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  return run('leakyRelu', [x], { negativeSlope }, leakyReluForward);
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** 0.5 x (1 + erf(x / sqrt 2)), or with tanh(sqrt(2/pi) (x + 0.044715 x^3)) in place of the erf. */
const geluForward: OpBody<'gelu', Tensor> = ([x], { approximate }) => {
  const inner =
    approximate === 'tanh' ? x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI).tanh() : x.mul(SQRT1_2).erf();
  return x.mul(0.5).mul(inner.add(1));
};

export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return run('gelu', [isFloating(x.dtype) ? x : cast(x, defaultFloatDType())], { approximate }, geluForward);
}

const siluForward: OpBody<'silu', Tensor> = ([x]) => x.mul(x.sigmoid());

export function silu(x: Tensor): Tensor {
  return run('silu', [isFloating(x.dtype) ? x : cast(x, defaultFloatDType())], NO_PARAMS, siluForward);
}
