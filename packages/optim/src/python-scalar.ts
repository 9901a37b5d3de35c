import { add, isTensor, le, lt, mul, sub, type Tensor } from '@descent/tensor';

/**
 * A scalar of PyTorch's Python code: a float (a JS number, double precision) or a 0-d float32 tensor. LBFGS and its
 * line search mix the two freely (`t = min(1., 1. / g.abs().sum()) * lr` is either), and which one a value is
 * decides whether the next operation rounds to float32. These helpers apply Python's rules: an operation with a
 * tensor operand is a tensor op (the float cast to float32), two floats stay a float.
 */
export type PyScalar = number | Tensor;

export function pyAdd(a: PyScalar, b: PyScalar): PyScalar {
  return isTensor(a) || isTensor(b) ? add(a, b) : a + b;
}

export function pySub(a: PyScalar, b: PyScalar): PyScalar {
  return isTensor(a) || isTensor(b) ? sub(a, b) : a - b;
}

export function pyMul(a: PyScalar, b: PyScalar): PyScalar {
  return isTensor(a) || isTensor(b) ? mul(a, b) : a * b;
}

/** `a / b`; a float divided by a tensor is `b.reciprocal() * a`, as Python's `Tensor.__rtruediv__`. */
export function pyDiv(a: PyScalar, b: PyScalar): PyScalar {
  if (isTensor(b)) return isTensor(a) ? a.div(b) : b.reciprocal().mul(a);
  return isTensor(a) ? a.div(b) : a / b;
}

export function pyAbs(a: PyScalar): PyScalar {
  return isTensor(a) ? a.abs() : Math.abs(a);
}

/** `a < b` as a boolean (a tensor comparison when either is a tensor). */
export function pyLt(a: PyScalar, b: PyScalar): boolean {
  return isTensor(a) || isTensor(b) ? lt(a, b).item() !== 0 : a < b;
}

export function pyGt(a: PyScalar, b: PyScalar): boolean {
  return pyLt(b, a);
}

export function pyLe(a: PyScalar, b: PyScalar): boolean {
  return isTensor(a) || isTensor(b) ? le(a, b).item() !== 0 : a <= b;
}

export function pyGe(a: PyScalar, b: PyScalar): boolean {
  return pyLe(b, a);
}

/** Python's `min(a, b)`: `b` only when it is strictly smaller, else `a` (the object itself, tensor or float). */
export function pyMin(a: PyScalar, b: PyScalar): PyScalar {
  return pyLt(b, a) ? b : a;
}

/** Python's `max(a, b)`: `b` only when it is strictly larger, else `a`. */
export function pyMax(a: PyScalar, b: PyScalar): PyScalar {
  return pyGt(b, a) ? b : a;
}

/** `float(x)` */
export function pyFloat(a: PyScalar): number {
  return isTensor(a) ? a.item() : a;
}
