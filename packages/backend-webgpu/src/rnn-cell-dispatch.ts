import type { Operand } from '@descent/backend';
import { refuseFloat64 } from './dtypes.js';
import type { KernelContext } from './kernel-dispatch.js';
import { linearWorkgroups } from './kernels/linear-dispatch.js';
import {
  gruCellBackwardParams,
  gruCellBackwardShader,
  gruCellParams,
  gruCellShader,
  lstmCellBackwardParams,
  lstmCellBackwardShader,
  lstmCellParams,
  lstmCellShader,
} from './kernels/rnn-cells.js';
import type { GpuBuffer } from './memory.js';

/** The dispatchers of the fused recurrent cells (./kernels/rnn-cells.ts): one kernel each, one invocation per state element. */

type G = Operand<GpuBuffer>;

export function lstmCellKernel(ctx: KernelContext, inputGates: G, hiddenGates: G, cx: G): [GpuBuffer, GpuBuffer, GpuBuffer] {
  refuseFloat64('lstmCell', cx.dtype);
  const [batch, hidden] = cx.view.shape;
  const numel = batch * hidden;
  const out: [GpuBuffer, GpuBuffer, GpuBuffer] = [ctx.alloc(numel, 'float32'), ctx.alloc(numel, 'float32'), ctx.alloc(4 * numel, 'float32')];
  if (numel === 0) return out;
  const params = lstmCellParams.pack({ numel, hidden, igView: inputGates.view, hgView: hiddenGates.view, cxView: cx.view });
  ctx.launch('lstmCell', 'lstmCell', lstmCellShader, [...out, inputGates.buffer, hiddenGates.buffer, cx.buffer], params, linearWorkgroups(numel));
  return out;
}

/** The spec's `lstmCellBackward` arguments: hy's and cy's gradients (null: zero), then the forward's cx, cy and workspace. */
export type LstmCellBackwardArgs = [gradHy: G | null, gradCy: G | null, cx: G, cy: G, workspace: G];

export function lstmCellBackwardKernel(ctx: KernelContext, ...[gradHy, gradCy, cx, cy, workspace]: LstmCellBackwardArgs): [GpuBuffer, GpuBuffer] {
  refuseFloat64('lstmCellBackward', cx.dtype);
  const [batch, hidden] = cx.view.shape;
  const numel = batch * hidden;
  const out: [GpuBuffer, GpuBuffer] = [ctx.alloc(4 * numel, 'float32'), ctx.alloc(numel, 'float32')];
  if (numel === 0) return out;
  // An absent gradient is zero: cx stands in for its binding (the launcher binds a repeated buffer once).
  const [gh, gc] = [gradHy ?? cx, gradCy ?? cx];
  const params = lstmCellBackwardParams.pack({
    numel,
    hidden,
    hasGradHy: gradHy !== null,
    hasGradCy: gradCy !== null,
    ghView: gh.view,
    gcView: gc.view,
    cxView: cx.view,
    cyView: cy.view,
    wsView: workspace.view,
  });
  const operands = [...out, gh.buffer, gc.buffer, cx.buffer, cy.buffer, workspace.buffer];
  ctx.launch('lstmCellBackward', 'lstmCellBackward', lstmCellBackwardShader, operands, params, linearWorkgroups(numel));
  return out;
}

export function gruCellKernel(ctx: KernelContext, inputGates: G, hiddenGates: G, hx: G): [GpuBuffer, GpuBuffer] {
  refuseFloat64('gruCell', hx.dtype);
  const [batch, hidden] = hx.view.shape;
  const numel = batch * hidden;
  const out: [GpuBuffer, GpuBuffer] = [ctx.alloc(numel, 'float32'), ctx.alloc(5 * numel, 'float32')];
  if (numel === 0) return out;
  const params = gruCellParams.pack({ numel, hidden, igView: inputGates.view, hgView: hiddenGates.view, hxView: hx.view });
  ctx.launch('gruCell', 'gruCell', gruCellShader, [...out, inputGates.buffer, hiddenGates.buffer, hx.buffer], params, linearWorkgroups(numel));
  return out;
}

export function gruCellBackwardKernel(ctx: KernelContext, gradHy: G, workspace: G): [GpuBuffer, GpuBuffer, GpuBuffer] {
  refuseFloat64('gruCellBackward', gradHy.dtype);
  const [batch, hidden] = gradHy.view.shape;
  const numel = batch * hidden;
  const out: [GpuBuffer, GpuBuffer, GpuBuffer] = [ctx.alloc(3 * numel, 'float32'), ctx.alloc(3 * numel, 'float32'), ctx.alloc(numel, 'float32')];
  if (numel === 0) return out;
  const params = gruCellBackwardParams.pack({ numel, hidden, gView: gradHy.view, wsView: workspace.view });
  ctx.launch('gruCellBackward', 'gruCellBackward', gruCellBackwardShader, [...out, gradHy.buffer, workspace.buffer], params, linearWorkgroups(numel));
  return out;
}
