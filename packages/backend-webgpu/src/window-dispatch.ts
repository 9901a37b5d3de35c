import type { Operand } from '@descent/backend';
import { refuseFloat64 } from './dtypes.js';
import { indexOutOfBounds } from './fault-messages.js';
import type { KernelContext } from './kernel-dispatch.js';
import { linearWorkgroups } from './kernels/linear-dispatch.js';
import {
  unfoldMatmulParams,
  unfoldMatmulShader,
  unfoldWeightGradParams,
  unfoldWeightGradShader,
  windowArgmaxParams,
  windowArgmaxShader,
} from './kernels/windows.js';
import type { GpuBuffer } from './memory.js';

/** The dispatchers of the window kernels (./kernels/windows.ts): convolution's products and pooling's winners. */

export function windowArgmaxKernel(ctx: KernelContext, x: Operand<GpuBuffer>, index: Operand<GpuBuffer>, window: number): GpuBuffer {
  refuseFloat64('windowArgmax', x.dtype);
  const [rows, width] = x.view.shape;
  const windows = index.view.shape[1] / window;
  const numel = rows * windows;
  const out = ctx.alloc(numel, index.dtype); // one 32-bit word per element either way (./dtypes.ts)
  if (numel === 0) return out;
  const params = windowArgmaxParams.pack({ numel, windows, window, width, xView: x.view, indexView: index.view });
  const slot = ctx.fault('windowArgmax', indexOutOfBounds('windowArgmax', 1, width));
  ctx.launch('windowArgmax', 'windowArgmax', windowArgmaxShader, [out, x.buffer, index.buffer, slot], params, linearWorkgroups(numel));
  return out;
}

export function unfoldMatmulKernel(
  ctx: KernelContext,
  weight: Operand<GpuBuffer>,
  x: Operand<GpuBuffer>,
  index: Operand<GpuBuffer>,
  bias: Operand<GpuBuffer> | null,
): GpuBuffer {
  refuseFloat64('unfoldMatmul', x.dtype);
  const [groups, og, kg] = weight.view.shape;
  const [n, m] = x.view.shape;
  const l = index.view.shape[0] / (groups * kg);
  const numel = n * groups * og * l;
  const out = ctx.alloc(numel, 'float32');
  if (numel === 0) return out;
  // Without a bias, the weight stands in for its binding (never read: hasBias is 0).
  const b = bias ?? { ...weight, view: { shape: [0], strides: [1], offset: 0 } };
  const params = unfoldMatmulParams.pack({ numel, groups, og, kg, l, m, hasBias: bias ? 1 : 0, wView: weight.view, xView: x.view, indexView: index.view, biasView: b.view });
  const slot = ctx.fault('unfoldMatmul', indexOutOfBounds('unfoldMatmul', 1, m));
  ctx.launch('unfoldMatmul', 'unfoldMatmul', unfoldMatmulShader, [out, weight.buffer, x.buffer, index.buffer, b.buffer, slot], params, linearWorkgroups(numel));
  return out;
}

export function unfoldWeightGradKernel(ctx: KernelContext, grad: Operand<GpuBuffer>, x: Operand<GpuBuffer>, index: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('unfoldMatmulWeightGrad', x.dtype);
  const [n, groups, og, l] = grad.view.shape;
  const m = x.view.shape[1];
  const kg = index.view.shape[0] / (groups * l);
  const numel = groups * og * kg;
  const out = ctx.alloc(numel, 'float32');
  if (numel === 0) return out;
  const params = unfoldWeightGradParams.pack({ numel, n, groups, og, kg, l, m, gView: grad.view, xView: x.view, indexView: index.view });
  const slot = ctx.fault('unfoldMatmulWeightGrad', indexOutOfBounds('unfoldMatmulWeightGrad', 1, m));
  ctx.launch('unfoldMatmulWeightGrad', 'unfoldMatmulWeightGrad', unfoldWeightGradShader, [out, grad.buffer, x.buffer, index.buffer, slot], params, linearWorkgroups(numel, 64));
  return out;
}
