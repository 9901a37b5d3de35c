import type { Tensor } from '../tensor.js';
import type { DimOr } from '../options.js';
import type { TensorLike } from './scalar.js';
import { withOut, type OutOption, type OutVariant } from './out-argument.js';
import * as arithmetic from './arithmetic.js';
import * as unary from './unary.js';
import * as special from './special-math.js';
import * as rounding from './rounding.js';
import * as linalg from './linalg.js';
import * as indexing from './indexing.js';
import * as norms from './norms.js';

// The `torch.*` functions that take PyTorch's `out=` keyword (`torch.mul(a, b, { out: c })`); the tensor methods
// (`a.mul(b)`) have no out, as in PyTorch. Each is the op itself when no `out` is given.

/** add/sub take `out` beside `alpha`. */
type WithAlpha = OutVariant<[TensorLike, TensorLike, { alpha?: number }?]> & ((a: TensorLike, b: TensorLike, options: { alpha?: number } & OutOption) => Tensor);
type WithAlphaFn = (a: TensorLike, b: TensorLike, options?: { alpha?: number }) => Tensor;
/** cat/stack take `out` beside a keyword `dim`. */
type Joining = OutVariant<[readonly Tensor[], DimOr<number>?]> & ((tensors: readonly Tensor[], options: { dim?: number } & OutOption) => Tensor);

export const add: WithAlpha = withOut('add', arithmetic.add, 2, true);
export const sub: WithAlpha = withOut('sub', arithmetic.sub, 2, true);
export const rsub: WithAlpha = withOut('rsub', arithmetic.rsub as WithAlphaFn, 2, true);
export const mul = withOut('mul', arithmetic.mul, 2);
export const div = withOut('div', arithmetic.div, 2);
export const maximum = withOut('maximum', arithmetic.maximum, 2);
export const minimum = withOut('minimum', arithmetic.minimum, 2);
export const eq = withOut('eq', arithmetic.eq, 2);
export const ne = withOut('ne', arithmetic.ne, 2);
export const lt = withOut('lt', arithmetic.lt, 2);
export const le = withOut('le', arithmetic.le, 2);
export const gt = withOut('gt', arithmetic.gt, 2);
export const ge = withOut('ge', arithmetic.ge, 2);
export const logicalAnd = withOut('logical_and', arithmetic.logicalAnd, 2);
export const logicalOr = withOut('logical_or', arithmetic.logicalOr, 2);
export const logicalXor = withOut('logical_xor', arithmetic.logicalXor, 2);
export const logicalNot = withOut('logical_not', arithmetic.logicalNot, 1);

export const neg = withOut('neg', unary.neg, 1);
export const exp = withOut('exp', unary.exp, 1);
export const log = withOut('log', unary.log, 1);
export const sqrt = withOut('sqrt', unary.sqrt, 1);
export const rsqrt = withOut('rsqrt', unary.rsqrt, 1);
export const abs = withOut('abs', unary.abs, 1);
export const sign = withOut('sign', unary.sign, 1);
export const sin = withOut('sin', unary.sin, 1);
export const cos = withOut('cos', unary.cos, 1);
export const tanh = withOut('tanh', unary.tanh, 1);
export const sigmoid = withOut('sigmoid', unary.sigmoid, 1);
export const reciprocal = withOut('reciprocal', unary.reciprocal, 1);
export const erf = withOut('erf', unary.erf, 1);
export const floor = withOut('floor', unary.floor, 1);
export const ceil = withOut('ceil', unary.ceil, 1);
export const round = withOut('round', unary.round, 1);

export const expm1 = withOut('expm1', special.expm1, 1);
export const log1p = withOut('log1p', special.log1p, 1);
export const log2 = withOut('log2', special.log2, 1);
export const log10 = withOut('log10', special.log10, 1);
export const exp2 = withOut('exp2', special.exp2, 1);
export const erfc = withOut('erfc', special.erfc, 1);
export const square = withOut('square', special.square, 1);
export const trunc = withOut('trunc', rounding.trunc, 1);
export const frac = withOut('frac', rounding.frac, 1);
export const fmod = withOut('fmod', rounding.fmod, 2);
export const remainder = withOut('remainder', rounding.remainder, 2);

export const matmul = withOut('matmul', linalg.matmul, 2);
export const mm = withOut('mm', linalg.mm, 2);
export const bmm = withOut('bmm', linalg.bmm, 2);
export const dot = withOut('dot', norms.dot, 2);
export const outer = withOut('outer', norms.outer, 2);
export const cat: Joining = withOut('cat', indexing.cat, 1, true);
export const stack: Joining = withOut('stack', indexing.stack, 1, true);
