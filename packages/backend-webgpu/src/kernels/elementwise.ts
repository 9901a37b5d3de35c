import type { BinaryOp, DType, UnaryOp } from '@descent/backend';
import { isSmallInt, wrapWgsl } from '../dtypes.js';
import { WGSL_COMMON, WGSL_TYPE } from '../wgsl-types.js';
import { CHECKED_BINARY, CHECKED_UNARY, checksBinary, checksCast, checksUnary, int64Wgsl } from './int64.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { paramTable, tablesBy, u32, u32s, views } from './params.js';
import { viewOffsetFn } from './strided.js';

/**
 * Truthiness of `v`. GPU compilers may assume floats are never NaN, so NaN is tested on the bits: it is true,
 * as in PyTorch.
 */
function nonZero(t: string, v: string): string {
  return t === 'f32' ? `(${v} != 0.0 || is_nan(${v}))` : `${v} != ${t === 'i32' ? '0' : '0u'}`;
}

/** Comparisons with a NaN operand are false; spelled out for the same reason. */
function ordered(t: string): string {
  return t === 'f32' ? ' && !is_nan(a) && !is_nan(b)' : '';
}

/** WGSL expression of each unary op on `x` of WGSL type `T` (only the dtypes the tensor layer sends). */
export const UNARY_WGSL: Record<UnaryOp, (t: string) => string> = {
  neg: () => '-x',
  abs: () => 'abs(x)',
  sign: (t) => (t === 'f32' ? 'select(sign(x), 0.0, is_nan(x))' : t === 'u32' ? 'x' : 'sign(x)'),
  exp: () => 'select(exp(x), x, is_nan(x))',
  log: () => 'log_f32(x)',
  sqrt: () => 'sqrt(x)',
  rsqrt: () => 'inverseSqrt(x)',
  reciprocal: () => '1.0 / x',
  sin: () => 'select(sin(reduce_angle(x)), x, is_nan(x))',
  cos: () => 'select(cos(reduce_angle(x)), x, is_nan(x))',
  // tanh through exp overflows for large |x| on some drivers; it is +-1 to float precision past 10 anyway.
  tanh: () => 'tanh_f32(x)',
  sigmoid: () => 'select(1.0 / (1.0 + exp(-x)), x, is_nan(x))',
  relu: (t) => (t === 'f32' ? 'select(x, 0.0, x < 0.0 && !is_nan(x))' : 'max(x, 0)'),
  erf: () => 'erf_f32(x)',
  floor: (t) => (t === 'f32' ? 'floor(x)' : 'x'),
  ceil: (t) => (t === 'f32' ? 'ceil(x)' : 'x'),
  round: (t) => (t === 'f32' ? 'round(x)' : 'x'),
  logicalNot: (t) => `select(0u, 1u, !(${nonZero(t, 'x')}))`,
};

/** WGSL expression of each binary op on `a`, `b` of type `T`; comparisons produce u32 booleans. */
export const BINARY_WGSL: Record<BinaryOp, (t: string) => string> = {
  add: () => 'a + b',
  sub: () => 'a - b',
  mul: () => 'a * b',
  div: (t) => (t === 'f32' ? 'a / b' : 'select(a / b, 0, b == 0)'),
  pow: (t) => (t === 'f32' ? 'pow_f32(a, b)' : 'pow_i32(a, b)'),
  maximum: (t) => (t === 'f32' ? 'select(max(a, b), nan_f32(), is_nan(a) || is_nan(b))' : 'max(a, b)'),
  minimum: (t) => (t === 'f32' ? 'select(min(a, b), nan_f32(), is_nan(a) || is_nan(b))' : 'min(a, b)'),
  eq: (t) => `select(0u, 1u, a == b${ordered(t)})`,
  ne: (t) => (t === 'f32' ? 'select(0u, 1u, a != b || is_nan(a) || is_nan(b))' : 'select(0u, 1u, a != b)'),
  lt: (t) => `select(0u, 1u, a < b${ordered(t)})`,
  le: (t) => `select(0u, 1u, a <= b${ordered(t)})`,
};

/** Math WGSL lacks or gets wrong for our purposes: erf, and pow with a negative base or special exponents. */
export const MATH_WGSL = /* wgsl */ `
fn erf_f32(x: f32) -> f32 {
  let ax = abs(x);
  if (ax < 0.5) {
    // Taylor series: accurate where 1 - erfc would cancel.
    let x2 = x * x;
    return x * (1.1283791671 + x2 * (-0.3761263890 + x2 * (0.1128379167 + x2 * (-0.0268661706 + x2 * 0.0052239776))));
  }
  // Numerical Recipes' erfc (fractional error < 1.2e-7).
  let t = 1.0 / (1.0 + 0.5 * ax);
  let y = t * exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(y - 1.0, 1.0 - y, x >= 0.0);
}
// Some drivers (SwiftShader) assume no NaN or infinity reaches log, and lose precision in sin/cos far from 0.
fn log_f32(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  return log(x);
}
fn reduce_angle(x: f32) -> f32 {
  // x - k * 2pi with 2pi split in two parts (6.28125 is exact in f32), so the reduction itself loses little.
  let k = round(x * 0.15915494309189535);
  return (x - k * 6.28125) - k * 0.0019353071795864769;
}
fn tanh_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  // Near 0 the series keeps full relative precision; past 10, tanh is +-1 to float precision.
  if (ax < 0.05) { let x2 = x * x; return x * (1.0 + x2 * (-0.333333333 + x2 * 0.133333333)); }
  return tanh(clamp(x, -10.0, 10.0));
}
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (a == -1.0 && !is_nan(b) && abs(b) == inf_f32()) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 3.0) { return a * a * a; }
  if (b == 0.5) { return sqrt(a); }
  if (b == -1.0) { return 1.0 / a; }
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  if (a == 0.0) { return select(0.0, inf_f32(), b < 0.0); }
  if (a < 0.0) {
    if (b != floor(b)) { return nan_f32(); }
    let r = pow(-a, b);
    return select(r, -r, abs(b) % 2.0 == 1.0);
  }
  return pow(a, b);
}
fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, b % 2 == 0), a == -1), 1, a == 1); }
  var result = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
`;

export interface ElementwiseShape {
  /** Rank of the output (and of every input view, which the tensor layer broadcasts to it). */
  readonly rank: number;
  /** Per input: whether its view is contiguous (read as offset + i, no index arithmetic). */
  readonly contiguous: readonly boolean[];
}

/** Parameters of every elementwise kernel: the output's size and shape, and one view per input. */
export const elementwiseParams = tablesBy((rank: number, arity: number) => paramTable(u32('numel'), u32s('shape', rank), views('inputs', rank, arity)));

/**
 * A kernel computing `out[i] = expr(in0[off0(i)], ...)` over a contiguous output. `checked`: the expression uses
 * int64's checked arithmetic, which binds a fault slot after the inputs.
 */
function elementwiseShader(
  inputTypes: readonly string[],
  outType: string,
  names: readonly string[],
  expr: string,
  shape: ElementwiseShape,
  checked = false,
): string {
  const { rank, contiguous } = shape;
  const bindings = [`@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;`];
  const fns: string[] = [];
  const loads: string[] = [];
  inputTypes.forEach((t, k) => {
    bindings.push(`@group(0) @binding(${k + 2}) var<storage, read> in${k}: array<${t}>;`);
    fns.push(viewOffsetFn(`off${k}`, `params.inputs[${k}u]`, rank, contiguous[k]));
    loads.push(`  let ${names[k]} = in${k}[off${k}(i)];`);
  });
  // Declared in binding order: the launcher renumbers bindings in the order the source declares them.
  if (checked) bindings.push(int64Wgsl(inputTypes.length + 2));
  return `${elementwiseParams(rank, inputTypes.length).wgsl}
${bindings.join('\n')}
${WGSL_COMMON}
${MATH_WGSL}
${fns.join('\n')}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
${loads.join('\n')}
  out[i] = ${expr};
}`;
}

/** One elementwise op as WGSL: its inputs' types and names, its output type, and its expression over them. */
export interface ElementwiseExpr {
  readonly inputs: readonly string[];
  readonly names: readonly string[];
  readonly out: string;
  readonly expr: string;
  /** Uses int64's checked arithmetic, which binds a fault slot (never fused: ../fusion/). */
  readonly checked: boolean;
}

/**
 * Each expression is built once per (op, dtypes) and shared: ops run by the thousand per step, and fusion caches
 * per expression object (../fusion/fused-kernel.ts).
 */
const EXPRS = new Map<string, ElementwiseExpr>();

function memo(key: string, build: () => ElementwiseExpr): ElementwiseExpr {
  let e = EXPRS.get(key);
  if (e === undefined) EXPRS.set(key, (e = build()));
  return e;
}

export function unaryExpr(op: UnaryOp, dtype: DType): ElementwiseExpr {
  return memo(`u ${op} ${dtype}`, () => buildUnary(op, dtype));
}

function buildUnary(op: UnaryOp, dtype: DType): ElementwiseExpr {
  const t = WGSL_TYPE[dtype];
  if (op === 'logicalNot') return { inputs: [t], names: ['x'], out: 'u32', expr: UNARY_WGSL[op](t), checked: false };
  const checked = checksUnary(op, dtype);
  const expr = checked ? (CHECKED_UNARY[op] ?? '') : wrapWgsl(dtype, UNARY_WGSL[op](t));
  return { inputs: [t], names: ['x'], out: t, expr, checked };
}

/**
 * bool is a u32 holding 0 or 1, where or is the larger and and the smaller: PyTorch's True + True is True, and
 * maximum/minimum (the tensor layer's logical or/and) are the u32 max/min already.
 */
const BOOL_ARITHMETIC: Partial<Record<BinaryOp, BinaryOp>> = { add: 'maximum', mul: 'minimum' };

/** int64's arithmetic is checked (./int64.ts); int16/int8/uint8 results wrap into their range as in PyTorch. */
export function binaryExpr(op: BinaryOp, dtype: DType, outDtype: DType): ElementwiseExpr {
  return memo(`b ${op} ${dtype} ${outDtype}`, () => buildBinary(op, dtype, outDtype));
}

function buildBinary(op: BinaryOp, dtype: DType, outDtype: DType): ElementwiseExpr {
  const t = WGSL_TYPE[dtype];
  const effective = dtype === 'bool' ? (BOOL_ARITHMETIC[op] ?? op) : op;
  const checked = checksBinary(op, dtype);
  const expr = checked ? (CHECKED_BINARY[op] ?? '') : outDtype === dtype ? wrapWgsl(dtype, BINARY_WGSL[effective](t)) : BINARY_WGSL[effective](t);
  return { inputs: [t, t], names: ['a', 'b'], out: WGSL_TYPE[outDtype], expr, checked };
}

export function whereExpr(dtype: DType): ElementwiseExpr {
  const t = WGSL_TYPE[dtype];
  return memo(`w ${dtype}`, () => ({ inputs: ['u32', t, t], names: ['c', 'a', 'b'], out: t, expr: 'select(b, a, c != 0u)', checked: false }));
}

/**
 * Conversion between dtypes, as PyTorch's CPU kernels convert: float to an integer truncates toward zero; to int16,
 * int8 or uint8 through int32 (NaN and values past int32 give int32's minimum, whose low bits are 0) and then the
 * low bits; float to int64 is checked (./int64.ts); integers to a narrower integer keep the low bits; anything to
 * bool is `!= 0` (NaN is true). float to int32 keeps the backend's choice for NaN (0).
 */
export function castExpr(from: DType, to: DType): ElementwiseExpr {
  return memo(`c ${from} ${to}`, () => buildCast(from, to));
}

function buildCast(from: DType, to: DType): ElementwiseExpr {
  const src = WGSL_TYPE[from];
  const dst = WGSL_TYPE[to];
  let expr: string;
  if (to === 'bool') expr = src === 'f32' ? 'select(0u, 1u, x != 0.0 || is_nan(x))' : `select(0u, 1u, x != ${src === 'i32' ? '0' : '0u'})`;
  else if (dst === 'f32') expr = 'f32(x)';
  else if (src !== 'f32') expr = wrapWgsl(to, 'i32(x)');
  else if (to === 'int64') expr = 'f32_to_i64(x)';
  else if (isSmallInt(to)) expr = wrapWgsl(to, 'select(0, i32(trunc(x)), x >= -2147483648.0 && x < 2147483648.0)');
  else expr = 'select(i32(trunc(x)), 0, is_nan(x))';
  return { inputs: [src], names: ['x'], out: dst, expr, checked: checksCast(from, to) };
}

const shaderOf = (e: ElementwiseExpr, shape: ElementwiseShape): string => elementwiseShader(e.inputs, e.out, e.names, e.expr, shape, e.checked);

export const unaryShader = (op: UnaryOp, dtype: DType, shape: ElementwiseShape): string => shaderOf(unaryExpr(op, dtype), shape);
export const binaryShader = (op: BinaryOp, dtype: DType, outDtype: DType, shape: ElementwiseShape): string =>
  shaderOf(binaryExpr(op, dtype, outDtype), shape);
export const whereShader = (dtype: DType, shape: ElementwiseShape): string => shaderOf(whereExpr(dtype), shape);
export const castShader = (from: DType, to: DType, shape: ElementwiseShape): string => shaderOf(castExpr(from, to), shape);
