import { LINEAR_INDEX } from './linear-dispatch.js';
import { f32, paramTable, u32 } from './params.js';

/**
 * Fused optimizer steps: one pass reads and writes every state buffer once, where eager composition runs a
 * kernel per term.
 */

export const sgdParams = paramTable(
  u32('numel'),
  f32('lr'),
  f32('momentum'),
  f32('dampening'),
  f32('weightDecay'),
  u32('nesterov'),
  u32('maximize'),
  u32('firstStep'),
  u32('hasMomentum'),
);

/** `oneMinusBeta1`/`oneMinusBeta2` come from the host: computed in double and rounded once, as PyTorch does. */
export const adamParams = paramTable(
  u32('numel'),
  f32('lr'),
  f32('beta1'),
  f32('beta2'),
  f32('eps'),
  f32('weightDecay'),
  f32('stepSize'),
  f32('biasCorrection2Sqrt'),
  u32('decoupled'),
  u32('amsgrad'),
  u32('maximize'),
  f32('oneMinusBeta1'),
  f32('oneMinusBeta2'),
);

export function sgdShader(): string {
  return `${sgdParams.wgsl}
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  let lr = params.lr; let momentum = params.momentum; let dampening = params.dampening; let wd = params.weightDecay;
  var g = grad[i];
  if (params.maximize != 0u) { g = -g; }
  if (wd != 0.0) { g = g + wd * param[i]; }
  if (params.hasMomentum != 0u) {
    var b = g;
    if (params.firstStep == 0u) { b = momentum * buf[i] + (1.0 - dampening) * g; }
    buf[i] = b;
    g = select(b, g + momentum * b, params.nesterov != 0u);
  }
  param[i] = param[i] - lr * g;
}`;
}

export function adamShader(): string {
  return `${adamParams.wgsl}
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m1: array<f32>;
@group(0) @binding(4) var<storage, read_write> m2: array<f32>;
@group(0) @binding(5) var<storage, read_write> vmax: array<f32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  let lr = params.lr; let beta1 = params.beta1; let beta2 = params.beta2; let eps = params.eps; let wd = params.weightDecay;
  let step_size = params.stepSize; let bc2_sqrt = params.biasCorrection2Sqrt;
  var g = grad[i];
  if (params.maximize != 0u) { g = -g; }
  var w = param[i];
  if (params.decoupled != 0u) { w = w * (1.0 - lr * wd); } else if (wd != 0.0) { g = g + wd * w; }
  let a = beta1 * m1[i] + params.oneMinusBeta1 * g;
  let b = beta2 * m2[i] + params.oneMinusBeta2 * g * g;
  m1[i] = a;
  m2[i] = b;
  var second = b;
  if (params.amsgrad != 0u) { second = max(vmax[i], b); vmax[i] = second; }
  param[i] = w - step_size * a / (sqrt(second) / bc2_sqrt + eps);
}`;
}
