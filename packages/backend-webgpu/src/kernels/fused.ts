import { LINEAR_INDEX, WGSL_COMMON } from '../wgsl-types.js';

/**
 * Fused kernels for what eager composition runs in several passes: softmax/log-softmax and cross-entropy (one
 * workgroup per row: max, then sum of exponentials, then the result), and the SGD and Adam updates (one pass
 * reading and writing every state buffer once).
 */

export const ROW_WORKGROUP = 64;

/** `fn row_off(o, r)`: buffer index of element `r` of row `o` of a view whose last axis is the row. */
function rowOffsetFn(rank: number): string {
  let body = '  var off = p[2] + r * p[3u + 2u * RANK - 1u];\n  var rem = o;\n';
  for (let d = rank - 2; d >= 0; d--) {
    body += `  { let size = p[${3 + d}u]; off += (rem % size) * p[${3 + rank + d}u]; rem = rem / size; }\n`;
  }
  return `const RANK = ${rank}u;\nfn row_off(o: u32, r: u32) -> u32 {\n${body}  return off;\n}`;
}

/** Shared part: per-row max and sum of exp(x - max) in workgroup memory. Params: rows, length, view (offset, shape, strides). */
function rowStats(): string {
  return `var<workgroup> scratch: array<f32, ${ROW_WORKGROUP}>;
fn row_max(o: u32, l: u32) -> f32 {
  var m = -inf_f32();
  for (var r = l; r < p[1]; r += ${ROW_WORKGROUP}u) { let v = x[row_off(o, r)]; if (is_nan(v) || v > m) { m = select(v, m, is_nan(m)); } }
  scratch[l] = m;
  workgroupBarrier();
  for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (l < s) { let a = scratch[l]; let b = scratch[l + s]; if (!is_nan(a) && (is_nan(b) || b > a)) { scratch[l] = b; } }
    workgroupBarrier();
  }
  let result = scratch[0];
  workgroupBarrier();
  return result;
}
// A row whose max is NaN or infinite is NaN throughout in PyTorch (x - max has a NaN); decided here from the bits,
// because adapters may not keep NaN through exp and inf - inf (SwiftShader does not).
fn row_is_nan(m: f32) -> bool { return (bitcast<u32>(m) & 0x7fffffffu) >= 0x7f800000u; }
fn row_sum_exp(o: u32, l: u32, m: f32) -> f32 {
  var acc = 0.0;
  for (var r = l; r < p[1]; r += ${ROW_WORKGROUP}u) { acc += exp(x[row_off(o, r)] - m); }
  scratch[l] = acc;
  workgroupBarrier();
  for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (l < s) { scratch[l] = scratch[l] + scratch[l + s]; }
    workgroupBarrier();
  }
  let result = scratch[0];
  workgroupBarrier();
  return result;
}`;
}

export function softmaxShader(rank: number, log: boolean): string {
  const write = log ? 'x[i] - m - log(total)' : 'exp(x[i] - m) / total';
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${WGSL_COMMON}
${rowOffsetFn(rank)}
${rowStats()}
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32) {
  let o = min(wid.x + wid.y * nwg.x, p[0] - 1u); // rows past the end recompute the last row, keeping barriers uniform
  let m = row_max(o, l);
  let total = row_sum_exp(o, l, m);
  for (var r = l; r < p[1]; r += ${ROW_WORKGROUP}u) {
    let i = row_off(o, r);
    out[o * p[1] + r] = select(${write}, nan_f32(), row_is_nan(m));
  }
}`;
}

/** Params: rows, classes, logits view (offset, shape[2], strides[2]), target offset, target stride. */
export function crossEntropyShader(): string {
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> target_index: array<i32>;
@group(0) @binding(4) var<storage, read_write> status: array<atomic<u32>>;
${WGSL_COMMON}
${rowOffsetFn(2)}
${rowStats()}
@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) l: u32) {
  let o = min(wid.x + wid.y * nwg.x, p[0] - 1u);
  let m = row_max(o, l);
  let total = row_sum_exp(o, l, m);
  if (l == 0u) {
    let t = target_index[p[7] + o * p[8]];
    var k = 0u;
    if (t < 0 || u32(t) >= p[1]) { atomicMax(&status[0], 2u); } else { k = u32(t); }
    out[o] = select(log(total) + m - x[row_off(o, k)], nan_f32(), row_is_nan(m));
  }
}`;
}

const f = (i: number) => `bitcast<f32>(p[${i}u])`;

/** Params: numel, then lr, momentum, dampening, weightDecay (f32 bits), then flags nesterov, maximize, first, hasMomentum. */
export function sgdShader(): string {
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= p[0]) { return; }
  let lr = ${f(1)}; let momentum = ${f(2)}; let dampening = ${f(3)}; let wd = ${f(4)};
  var g = grad[i];
  if (p[6] != 0u) { g = -g; }
  if (wd != 0.0) { g = g + wd * param[i]; }
  if (p[8] != 0u) {
    var b = g;
    if (p[7] == 0u) { b = momentum * buf[i] + (1.0 - dampening) * g; }
    buf[i] = b;
    g = select(b, g + momentum * b, p[5] != 0u);
  }
  param[i] = param[i] - lr * g;
}`;
}

/**
 * Params: numel, then lr, beta1, beta2, eps, weightDecay, stepSize, biasCorrection2Sqrt (f32 bits), then flags decoupled,
 * amsgrad, maximize, then 1 - beta1 and 1 - beta2 (f32 bits: computed in double and rounded once, as PyTorch does).
 */
export function adamShader(): string {
  return `@group(0) @binding(0) var<storage, read> p: array<u32>;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m1: array<f32>;
@group(0) @binding(4) var<storage, read_write> m2: array<f32>;
@group(0) @binding(5) var<storage, read_write> vmax: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= p[0]) { return; }
  let lr = ${f(1)}; let beta1 = ${f(2)}; let beta2 = ${f(3)}; let eps = ${f(4)}; let wd = ${f(5)};
  let step_size = ${f(6)}; let bc2_sqrt = ${f(7)};
  var g = grad[i];
  if (p[10] != 0u) { g = -g; }
  var w = param[i];
  if (p[8] != 0u) { w = w * (1.0 - lr * wd); } else if (wd != 0.0) { g = g + wd * w; }
  let a = beta1 * m1[i] + ${f(11)} * g;
  let b = beta2 * m2[i] + ${f(12)} * g * g;
  m1[i] = a;
  m2[i] = b;
  var second = b;
  if (p[9] != 0u) { second = max(vmax[i], b); vmax[i] = second; }
  param[i] = w - step_size * a / (sqrt(second) / bc2_sqrt + eps);
}`;
}
