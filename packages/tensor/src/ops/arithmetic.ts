import type { BinaryOp, DType } from '@descent/backend';
import { dispatch, type Forward } from '../dispatch.js';
import { scalarDType, promoteTypes } from '../dtype.js';
import type { DiffOp } from '../graph.js';
import * as k from '../kernels.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { operands, resultType, scalarTensor, type TensorLike } from './scalar.js';
import { cast } from './cast.js';

/** Forward of a binary op: broadcast through strides, output in the (shared) input dtype. */
function binaryForward(op: BinaryOp): Forward {
  return ([a, b]) => k.binary(op, a, b, broadcastShapes(a.shape, b.shape), a.dtype);
}

const FORWARD = {
  add: binaryForward('add'),
  sub: binaryForward('sub'),
  mul: binaryForward('mul'),
  div: binaryForward('div'),
  pow: binaryForward('pow'),
  maximum: binaryForward('maximum'),
  minimum: binaryForward('minimum'),
} satisfies Partial<Record<DiffOp, Forward>>;

function arithmetic(op: keyof typeof FORWARD, a: TensorLike, b: TensorLike, dtype = resultType(a, b)): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError(`${op}(): expected at least one tensor argument, got ${typeof a} and ${typeof b}`);
  }
  const [x, y] = operands(a, b, dtype);
  return dispatch(op, [x, y], FORWARD[op]);
}

function rejectBool(name: string, a: TensorLike, b: TensorLike): void {
  if (resultType(a, b) === 'bool') {
    throw new TypeError(
      `${name}(): Subtraction, the \`-\` operator, with two bool tensors is not supported. Use the \`^\` or logicalXor() operator instead.`,
    );
  }
}

export function add(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  if (options?.alpha !== undefined && options.alpha !== 1) b = mul(b, options.alpha);
  return arithmetic('add', a, b);
}

export function sub(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  rejectBool('sub', a, b);
  if (options?.alpha !== undefined && options.alpha !== 1) b = mul(b, options.alpha);
  return arithmetic('sub', a, b);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('mul', a, b);
}

/** True division, as `/` in PyTorch: integer inputs give a float32 result. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  return arithmetic('div', a, b, dtype === 'float32' ? dtype : 'float32');
}

export function maximum(a: Tensor, b: Tensor): Tensor {
  return arithmetic('maximum', a, b);
}

export function minimum(a: Tensor, b: Tensor): Tensor {
  return arithmetic('minimum', a, b);
}

const powScalarForward: Forward = ([x], { exponent }) => {
  const e = scalarTensor(exponent!, x.dtype, x.device);
  return k.binary('pow', x, e, x.shape, x.dtype);
};

/** `x ** exponent`. A number exponent records PowBackward0; a tensor exponent records PowBackward1. */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  if (base instanceof Tensor && !(exponent instanceof Tensor)) {
    const e = Number(exponent);
    const dtype = promoteTypes(base.dtype, scalarDType(exponent));
    if (dtype !== 'float32' && e < 0) {
      throw new RangeError('Integers to negative integer powers are not allowed.');
    }
    const x = dtype === base.dtype ? base : cast(base, dtype);
    return dispatch('powScalar', [x], powScalarForward, { exponent: e });
  }
  return arithmetic('pow', base, exponent);
}

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, resultType(a, b));
  return k.binary(op, x, y, broadcastShapes(x.shape, y.shape), 'bool');
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

function logical(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'bool');
  return k.binary(op, x, y, broadcastShapes(x.shape, y.shape), 'bool');
}

export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical('logicalOr', a, b);
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logical('ne', a, b);

export function logicalNot(x: Tensor): Tensor {
  return k.unary('logicalNot', x.dtype === 'bool' ? x : cast(x, 'bool'));
}

/** True when `a` and `b` have the same shape and every element is within `atol + rtol * |b|`. */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8): boolean {
  const x = a.to('float32').dataSync();
  const y = b.to('float32').dataSync();
  if (a.shape.join() !== b.shape.join()) return false;
  for (let i = 0; i < x.length; i++) {
    const diff = Math.abs(x[i] - y[i]);
    if (!(diff <= atol + rtol * Math.abs(y[i])) && !(x[i] === y[i])) return false;
  }
  return true;
}

export type { DType };
