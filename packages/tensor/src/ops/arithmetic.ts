import { checkOptionKeys } from '../options.js';
import { keywordArgs } from '../options.js';
import type { BinaryOp, DType } from '@descent/backend';
import { defaultFloatDType, isFloating, scalarDType, promoteTypes } from '../dtype.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { operands, resultType, scalarTensor, type TensorLike } from './scalar.js';
import { cast } from './cast.js';
import { presentAs } from './present-as.js';

type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

/** Body of a binary op: broadcast through strides, output in the (shared) input dtype. */
function binaryBody(op: BinaryOp): OpBody<ArithmeticOp, Tensor> {
  return ([a, b]) => k.binary(op, a, b, broadcastShapes(a.shape, b.shape), a.dtype);
}

const BODY: Record<ArithmeticOp, OpBody<ArithmeticOp, Tensor>> = {
  add: binaryBody('add'),
  sub: binaryBody('sub'),
  mul: binaryBody('mul'),
  div: binaryBody('div'),
  pow: binaryBody('pow'),
  maximum: binaryBody('maximum'),
  minimum: binaryBody('minimum'),
};

function arithmetic(op: ArithmeticOp, a: TensorLike, b: TensorLike, dtype = resultType(a, b)): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError(`${op}(): expected at least one tensor argument, got ${typeof a} and ${typeof b}`);
  }
  const [x, y] = operands(a, b, dtype);
  return run(op, [x, y], NO_PARAMS, BODY[op]);
}

function rejectBool(name: string, a: TensorLike, b: TensorLike): void {
  if (resultType(a, b) === 'bool') {
    throw new TypeError(
      `${name}(): Subtraction, the \`-\` operator, with two bool tensors is not supported. Use the \`^\` or logicalXor() operator instead.`,
    );
  }
}

/** `alpha * b` for add's and sub's `alpha`: a number operand (`torch.add(x, 1, alpha=3)`) is scaled as a number. */
function scaled(b: TensorLike, alpha: number): TensorLike {
  return typeof b === 'number' ? b * alpha : mul(b, alpha);
}

export function add(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  if (options !== undefined) checkOptionKeys('add', options, ['alpha']);
  if (options?.alpha !== undefined && options.alpha !== 1) b = scaled(b, options.alpha);
  return arithmetic('add', a, b);
}

export function sub(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  if (options !== undefined) checkOptionKeys('sub', options, ['alpha']);
  rejectBool('sub', a, b);
  if (options?.alpha !== undefined && options.alpha !== 1) b = scaled(b, options.alpha);
  const result = arithmetic('sub', a, b);
  // `1 - x` is Python's `x.__rsub__(1)`: PyTorch records rsub.
  return a instanceof Tensor ? result : presentAs(result, 'RsubBackward1', [b as Tensor]);
}

/** `other - alpha * input`, as `torch.rsub(input, other, alpha=1)` (what Python's `other - input` calls). */
export function rsub(input: Tensor, other: TensorLike, options?: { alpha?: number }): Tensor {
  if (options !== undefined) checkOptionKeys('rsub', options, ['alpha']);
  const result = sub(other, input, options);
  return presentAs(result, other instanceof Tensor ? 'RsubBackward0' : 'RsubBackward1', [input, other instanceof Tensor ? other : null]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('mul', a, b);
}

/** True division, as `/` in PyTorch: integer inputs give a float32 result. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  // `2 / x` is Python's `x.__rdiv__(2)`, which PyTorch computes as `x.reciprocal() * 2` (MulBackward0).
  if (typeof a === 'number' && b instanceof Tensor) return mul(b.reciprocal(), a);
  const dtype = resultType(a, b);
  return arithmetic('div', a, b, isFloating(dtype) ? dtype : defaultFloatDType());
}

/** Integer division rounding toward zero (C's `/`) in the operands' integer dtype: the backend's integer `div`. */
export function truncDivideIntegers(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('div', a, b);
}

export function maximum(a: Tensor, b: Tensor): Tensor {
  return arithmetic('maximum', a, b);
}

export function minimum(a: Tensor, b: Tensor): Tensor {
  return arithmetic('minimum', a, b);
}

/**
 * PyTorch's CPU kernel special-cases these exponents of a float tensor, rounding between steps (`x * x * x` is two
 * roundings, `x ** -0.5` is `1 / sqrt(x)`); a single `pow` differs in the last bit for a quarter of the inputs.
 */
const FLOAT_POW_SPECIAL: Record<number, (x: Tensor) => Tensor> = {
  0.5: (x) => k.unary('sqrt', x),
  [-0.5]: (x) => k.unary('rsqrt', x),
  [-1]: (x) => k.unary('reciprocal', x),
  2: (x) => k.binary('mul', x, x, x.shape, x.dtype),
  3: (x) => k.binary('mul', k.binary('mul', x, x, x.shape, x.dtype), x, x.shape, x.dtype),
  [-2]: (x) => k.unary('reciprocal', k.binary('mul', x, x, x.shape, x.dtype)),
};

const powScalarBody: OpBody<'powScalar', Tensor> = ([x], { exponent }) => {
  const special = isFloating(x.dtype) ? FLOAT_POW_SPECIAL[exponent] : undefined;
  if (special) return special(x);
  const e = scalarTensor(exponent, x.dtype, x.device);
  return k.binary('pow', x, e, x.shape, x.dtype);
};

/** `x ** exponent`. A number exponent records PowBackward0; a tensor exponent records PowBackward1. */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  if (base instanceof Tensor && !(exponent instanceof Tensor)) {
    const e = Number(exponent);
    const dtype = promoteTypes(base.dtype, scalarDType(exponent));
    if (!isFloating(dtype) && e < 0) {
      throw new RangeError('Integers to negative integer powers are not allowed.');
    }
    const x = dtype === base.dtype ? base : cast(base, dtype);
    return run('powScalar', [x], { exponent: e }, powScalarBody);
  }
  return arithmetic('pow', base, exponent);
}

/** `torch.float_power(a, b)`: `pow` in float64, whatever the inputs' dtypes. */
export function floatPower(base: TensorLike, exponent: TensorLike): Tensor {
  const lift = (v: TensorLike) => (v instanceof Tensor ? cast(v, 'float64') : v);
  return pow(lift(base), lift(exponent));
}

type PredicateOp = 'eq' | 'ne' | 'lt' | 'le' | 'logicalAnd' | 'logicalOr';

/** A bool-valued binary op, computed by backend op `kernel`. */
function predicateBody(kernel: BinaryOp): OpBody<PredicateOp, Tensor> {
  return ([x, y]) => k.binary(kernel, x, y, broadcastShapes(x.shape, y.shape), 'bool');
}

const PREDICATE: Record<PredicateOp, OpBody<PredicateOp, Tensor>> = {
  eq: predicateBody('eq'),
  ne: predicateBody('ne'),
  lt: predicateBody('lt'),
  le: predicateBody('le'),
  // On bool operands (0 or 1), and is the smaller and or the larger.
  logicalAnd: predicateBody('minimum'),
  logicalOr: predicateBody('maximum'),
};

function compare(op: PredicateOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, resultType(a, b));
  return run(op, [x, y], NO_PARAMS, PREDICATE[op]);
}

function logical(op: PredicateOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, 'bool');
  return run(op, [x, y], NO_PARAMS, PREDICATE[op]);
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
// The backend has only lt/le: a > b is b < a, with the same NaN result (false).
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', b, a);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('le', b, a);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical('logicalOr', a, b);
// On bool operands xor is inequality.
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logical('ne', a, b);

const logicalNotBody: OpBody<'logicalNot', Tensor> = ([x]) => k.unary('logicalNot', x);

export function logicalNot(x: Tensor): Tensor {
  return run('logicalNot', [x.dtype === 'bool' ? x : cast(x, 'bool')], NO_PARAMS, logicalNotBody);
}

/** True when `a` and `b` have the same shape and every element is within `atol + rtol * |b|`. */
export function allclose(a: Tensor, b: Tensor, rtolOr: number | { rtol?: number; atol?: number } = 1e-5, atolGiven = 1e-8): boolean {
  // `torch.allclose(a, b, atol=1e-2)` written `torch.allclose(a, b, { atol: 1e-2 })`.
  const keywords = keywordArgs('allclose', rtolOr, ['rtol', 'atol']);
  const rtol = (keywords === null ? rtolOr : (keywords.rtol ?? 1e-5)) as number;
  const atol = (keywords === null ? atolGiven : (keywords.atol ?? 1e-8)) as number;
  const x = a.to('float64').dataSync() as Float64Array;
  const y = b.to('float64').dataSync() as Float64Array;
  if (a.shape.join() !== b.shape.join()) return false;
  for (let i = 0; i < x.length; i++) {
    const diff = Math.abs(x[i] - y[i]);
    if (!(diff <= atol + rtol * Math.abs(y[i])) && !(x[i] === y[i])) return false;
  }
  return true;
}

export type { DType };
