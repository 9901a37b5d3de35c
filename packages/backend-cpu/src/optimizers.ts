import type { HostArray, SgdUpdate } from '@descent/backend';

const f32 = Math.fround;

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
