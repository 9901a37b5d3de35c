import { WGSL_COMMON } from '../wgsl-types.js';
import { MATH_WGSL, UNARY_WGSL } from './elementwise.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { paramTable, u32, view } from './params.js';

/**
 * PyTorch's fused recurrent cells (the spec's `lstmCell`, `gruCell` and their backwards): one invocation per
 * element of the state [B, H], reading its column of every gate block through strided views and writing contiguous
 * outputs. Sigmoid and tanh are the elementwise kernels' own expressions, so a cell computes what the composed ops
 * compute on this device.
 */

/** The helpers every cell kernel shares: the elementwise math, and an element of a rank-2 view. */
const PRELUDE = `${WGSL_COMMON}
${MATH_WGSL}
fn sigmoid_f32(x: f32) -> f32 { return ${UNARY_WGSL.sigmoid('f32')}; }
fn tanh_act(x: f32) -> f32 { return ${UNARY_WGSL.tanh('f32')}; }
fn at(v: View2, row: u32, col: u32) -> u32 { return v.offset + row * v.strides[0] + col * v.strides[1]; }`;

/** The start of each kernel: the element (row, j) of the [B, H] state this invocation computes. */
const MAIN = `@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  let h = params.hidden;
  let row = i / h;
  let j = i % h;`;

/** `numel` = B * H invocations; gates [B, 4H], cx [B, H]. */
export const lstmCellParams = paramTable(u32('numel'), u32('hidden'), view('igView', 2), view('hgView', 2), view('cxView', 2));

export function lstmCellShader(): string {
  return `${lstmCellParams.wgsl}
@group(0) @binding(1) var<storage, read_write> hy: array<f32>;
@group(0) @binding(2) var<storage, read_write> cy: array<f32>;
@group(0) @binding(3) var<storage, read_write> workspace: array<f32>;
@group(0) @binding(4) var<storage, read> inputGates: array<f32>;
@group(0) @binding(5) var<storage, read> hiddenGates: array<f32>;
@group(0) @binding(6) var<storage, read> cx: array<f32>;
${PRELUDE}
fn gate(row: u32, col: u32) -> f32 {
  return hiddenGates[at(params.hgView, row, col)] + inputGates[at(params.igView, row, col)];
}
${MAIN}
  let ingate = sigmoid_f32(gate(row, j));
  let forget = sigmoid_f32(gate(row, h + j));
  let cell = tanh_act(gate(row, 2u * h + j));
  let outgate = sigmoid_f32(gate(row, 3u * h + j));
  let c = forget * cx[at(params.cxView, row, j)] + ingate * cell;
  cy[i] = c;
  hy[i] = outgate * tanh_act(c);
  let w = row * 4u * h + j;
  workspace[w] = ingate;
  workspace[w + h] = forget;
  workspace[w + 2u * h] = cell;
  workspace[w + 3u * h] = outgate;
}`;
}

/** gradHy and gradCy may be absent (`has*` 0: zero; their bindings then stand in with cx, never read). */
export const lstmCellBackwardParams = paramTable(
  u32('numel'), u32('hidden'), u32('hasGradHy'), u32('hasGradCy'),
  view('ghView', 2), view('gcView', 2), view('cxView', 2), view('cyView', 2), view('wsView', 2),
);

export function lstmCellBackwardShader(): string {
  return `${lstmCellBackwardParams.wgsl}
@group(0) @binding(1) var<storage, read_write> gradGates: array<f32>;
@group(0) @binding(2) var<storage, read_write> gradCx: array<f32>;
@group(0) @binding(3) var<storage, read> gradHy: array<f32>;
@group(0) @binding(4) var<storage, read> gradCy: array<f32>;
@group(0) @binding(5) var<storage, read> cx: array<f32>;
@group(0) @binding(6) var<storage, read> cy: array<f32>;
@group(0) @binding(7) var<storage, read> workspace: array<f32>;
${PRELUDE}
${MAIN}
  let ingate = workspace[at(params.wsView, row, j)];
  let forget = workspace[at(params.wsView, row, h + j)];
  let cell = workspace[at(params.wsView, row, 2u * h + j)];
  let outgate = workspace[at(params.wsView, row, 3u * h + j)];
  let t = tanh_act(cy[at(params.cyView, row, j)]);
  var gh = 0.0;
  if (params.hasGradHy != 0u) { gh = gradHy[at(params.ghView, row, j)]; }
  var gc = 0.0;
  if (params.hasGradCy != 0u) { gc = gradCy[at(params.gcView, row, j)]; }
  // cy's gradient: its own and hy's through tanh.
  let dc = gc + gh * outgate * (1.0 - t * t);
  let w = row * 4u * h + j;
  gradGates[w] = dc * cell * ingate * (1.0 - ingate);
  gradGates[w + h] = dc * cx[at(params.cxView, row, j)] * forget * (1.0 - forget);
  gradGates[w + 2u * h] = dc * ingate * (1.0 - cell * cell);
  gradGates[w + 3u * h] = gh * t * outgate * (1.0 - outgate);
  gradCx[i] = dc * forget;
}`;
}

/** `numel` = B * H invocations; gates [B, 3H], hx [B, H]. */
export const gruCellParams = paramTable(u32('numel'), u32('hidden'), view('igView', 2), view('hgView', 2), view('hxView', 2));

export function gruCellShader(): string {
  return `${gruCellParams.wgsl}
@group(0) @binding(1) var<storage, read_write> hy: array<f32>;
@group(0) @binding(2) var<storage, read_write> workspace: array<f32>;
@group(0) @binding(3) var<storage, read> inputGates: array<f32>;
@group(0) @binding(4) var<storage, read> hiddenGates: array<f32>;
@group(0) @binding(5) var<storage, read> hx: array<f32>;
${PRELUDE}
${MAIN}
  let reset = sigmoid_f32(hiddenGates[at(params.hgView, row, j)] + inputGates[at(params.igView, row, j)]);
  let update = sigmoid_f32(hiddenGates[at(params.hgView, row, h + j)] + inputGates[at(params.igView, row, h + j)]);
  let hn = hiddenGates[at(params.hgView, row, 2u * h + j)];
  let n = tanh_act(inputGates[at(params.igView, row, 2u * h + j)] + hn * reset);
  let prev = hx[at(params.hxView, row, j)];
  hy[i] = (prev - n) * update + n;
  let w = row * 5u * h + j;
  workspace[w] = reset;
  workspace[w + h] = update;
  workspace[w + 2u * h] = n;
  workspace[w + 3u * h] = prev;
  workspace[w + 4u * h] = hn;
}`;
}

export const gruCellBackwardParams = paramTable(u32('numel'), u32('hidden'), view('gView', 2), view('wsView', 2));

export function gruCellBackwardShader(): string {
  return `${gruCellBackwardParams.wgsl}
@group(0) @binding(1) var<storage, read_write> gradInputGates: array<f32>;
@group(0) @binding(2) var<storage, read_write> gradHiddenGates: array<f32>;
@group(0) @binding(3) var<storage, read_write> gradHx: array<f32>;
@group(0) @binding(4) var<storage, read> gradHy: array<f32>;
@group(0) @binding(5) var<storage, read> workspace: array<f32>;
${PRELUDE}
${MAIN}
  let reset = workspace[at(params.wsView, row, j)];
  let update = workspace[at(params.wsView, row, h + j)];
  let n = workspace[at(params.wsView, row, 2u * h + j)];
  let prev = workspace[at(params.wsView, row, 3u * h + j)];
  let hn = workspace[at(params.wsView, row, 4u * h + j)];
  let g = gradHy[at(params.gView, row, j)];
  let dn = g * (1.0 - update) * (1.0 - n * n);
  let dz = g * (prev - n) * update * (1.0 - update);
  let dr = dn * hn * reset * (1.0 - reset);
  let w = row * 3u * h + j;
  gradInputGates[w] = dr;
  gradInputGates[w + h] = dz;
  gradInputGates[w + 2u * h] = dn;
  gradHiddenGates[w] = dr;
  gradHiddenGates[w + h] = dz;
  gradHiddenGates[w + 2u * h] = dn * reset;
  gradHx[i] = g * update;
}`;
}
