import type { AdamUpdate, HostArray, SgdUpdate } from '@descent/backend';
import { adamKernelCovers, wasmAdamF32 } from './wasm/wasm-adam.js';
import { wasmSgdF32 } from './wasm/wasm-sgd.js';

const f32 = Math.fround;

/**
 * Plain SGD and Adam steps of this many floats and more run on Wasm SIMD kernels (wasm-sgd.ts, wasm-adam.ts): the
 * JS loops take about 1.7 ns a float, the copies through the kernel memory and the kernel about 0.4.
 */
const WASM_OPTIMIZER_MIN = 4096;

/** `x * s` as the composed path computes it: a float32 tensor times a scalar rounded to float32, rounded once. */
const scaled = (x: number, s: number): number => f32(x * s);

/**
 * One SGD step in place, op for op as optim's composed path (sgd.ts) computes it on this backend, so the fused
 * step gives the same bits with one pass and no temporaries: every op of that path rounds its result to float32
 * (a product or a sum of two float32 values computed in double and rounded once is the float32 result), scalars
 * become float32 first, and `add(x, y, { alpha: 1 })` skips the multiplication.
 */
export function sgdUpdateF32(param: HostArray, grad: HostArray, momentumBuffer: HostArray | null, numel: number, h: SgdUpdate): void {
  const p = param as Float32Array;
  const g = grad as Float32Array;
  const buf = momentumBuffer as Float32Array | null;
  const wd = f32(h.weightDecay);
  const momentum = f32(h.momentum);
  const dampAlpha = 1 - h.dampening;
  const damp = f32(dampAlpha);
  const lrAlpha = -h.lr;
  const negLr = f32(lrAlpha);
  if (buf === null && h.weightDecay === 0 && !h.maximize && lrAlpha !== 1) {
    // Plain SGD, the common case, without the per-element option checks (the store rounds the sum).
    if (numel >= WASM_OPTIMIZER_MIN && wasmSgdF32(p, g, negLr, numel)) return;
    for (let i = 0; i < numel; i++) p[i] = p[i] + f32(g[i] * negLr);
    return;
  }
  for (let i = 0; i < numel; i++) {
    let d = h.maximize ? -g[i] : g[i];
    if (h.weightDecay !== 0) d = f32(d + scaled(p[i], wd));
    if (buf !== null) {
      const b = h.firstStep ? d : f32(scaled(buf[i], momentum) + (dampAlpha === 1 ? d : scaled(d, damp)));
      buf[i] = b;
      d = h.nesterov ? f32(d + scaled(b, momentum)) : b;
    }
    p[i] = f32(p[i] + (lrAlpha === 1 ? d : scaled(d, negLr)));
  }
}

/** PyTorch's float `maximum`, as the CPU backend computes it: NaN if either is NaN. */
const maximum = (a: number, b: number): number => (a !== a || b !== b ? NaN : a > b ? a : b);

/**
 * One Adam/AdamW step in place, op for op as optim's composed path (adam-update.ts, PyTorch 1.13's
 * `_single_tensor_adam`/`_single_tensor_adamw`) computes it on this backend, with the same rounding rules as
 * `sgdUpdateF32`: the same bits in one pass over the four (five with AMSGrad) buffers.
 */
export function adamUpdateF32(
  param: HostArray,
  grad: HostArray,
  expAvg: HostArray,
  expAvgSq: HostArray,
  maxExpAvgSq: HostArray | null,
  numel: number,
  h: AdamUpdate,
): void {
  const p = param as Float32Array;
  const g = grad as Float32Array;
  const m = expAvg as Float32Array;
  const v = expAvgSq as Float32Array;
  const vmax = maxExpAvgSq as Float32Array | null;
  const decay = f32(1 - h.lr * h.weightDecay);
  const wd = f32(h.weightDecay);
  const beta1 = f32(h.beta1);
  const beta2 = f32(h.beta2);
  const oneMinusBeta1 = 1 - h.beta1;
  const gradScale1 = f32(oneMinusBeta1);
  const gradScale2 = f32(1 - h.beta2);
  const stepSize = h.lr / (1 - h.beta1 ** h.step);
  const negStepSize = f32(-stepSize);
  const biasCorrection2Sqrt = f32(Math.sqrt(1 - h.beta2 ** h.step));
  const eps = f32(h.eps);
  const constants = { decay, beta1, gradScale1, beta2, gradScale2, negStepSize, biasCorrection2Sqrt, eps };
  if (numel >= WASM_OPTIMIZER_MIN && vmax === null && adamKernelCovers(h, constants) && wasmAdamF32(p, g, m, v, numel, h.decoupled, constants)) return;
  for (let i = 0; i < numel; i++) {
    let d = h.maximize ? -g[i] : g[i];
    let w = p[i];
    if (h.decoupled) w = f32(w * decay);
    else if (h.weightDecay !== 0) d = f32(d + (h.weightDecay === 1 ? w : scaled(w, wd)));
    const a = f32(scaled(m[i], beta1) + (oneMinusBeta1 === 1 ? d : scaled(d, gradScale1)));
    m[i] = a;
    const b = f32(scaled(v[i], beta2) + f32((h.beta2 === 0 ? d : scaled(d, gradScale2)) * d));
    v[i] = b;
    let second = b;
    if (vmax !== null) {
      second = maximum(vmax[i], b);
      vmax[i] = second;
    }
    const denom = f32(f32(f32(Math.sqrt(second)) / biasCorrection2Sqrt) + eps);
    p[i] = f32(w + f32((stepSize === -1 ? a : scaled(a, negStepSize)) / denom));
  }
}
