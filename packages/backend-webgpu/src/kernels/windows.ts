import { WGSL_COMMON } from '../wgsl-types.js';
import { LINEAR_INDEX } from './linear-dispatch.js';
import { paramTable, u32, view } from './params.js';
import { statusWgsl } from './status.js';

/**
 * Window kernels for convolution and pooling (the spec's `windowArgmax` and `unfoldMatmul`,
 * `unfoldMatmulWeightGrad`): the window reads go through the index table inside the kernel, so the columns of a
 * convolution (im2col) and the reads of every pooling window are never written to memory. One invocation per output
 * element; an index out of range is flagged in the op's fault slot (./status.ts) and reads element 0 instead.
 */

/** windowArgmax: `numel` = rows * windows outputs of `window` reads each, from rows of `width` elements. */
export const windowArgmaxParams = paramTable(u32('numel'), u32('windows'), u32('window'), u32('width'), view('xView', 2), view('indexView', 2));

/** An index entry checked against [0, bound): element 0 and a status flag outside it. */
const checkedRead = (entry: string, bound: string) => `select(0u, u32(${entry}), ${entry} >= 0 && u32(${entry}) < ${bound})`;
const flagOutside = (entry: string, bound: string) => `if (${entry} < 0 || u32(${entry}) >= ${bound}) { flag_index(${entry}); }`;

export function windowArgmaxShader(): string {
  return `${windowArgmaxParams.wgsl}
${WGSL_COMMON}
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> index: array<i32>;
${statusWgsl(4)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  let r = i / params.windows;
  let w = i % params.windows;
  let xRow = params.xView.offset + r * params.xView.strides[0];
  let xStep = params.xView.strides[1];
  let iStep = params.indexView.strides[1];
  var at = params.indexView.offset + r * params.indexView.strides[0] + w * params.window * iStep;
  var best = 0.0;
  var winner = 0;
  for (var j = 0u; j < params.window; j++) {
    let entry = index[at];
    at += iStep;
    ${flagOutside('entry', 'params.width')}
    let v = x[xRow + ${checkedRead('entry', 'params.width')} * xStep];
    // The first largest, NaN counting as the largest (the first NaN wins).
    if (j == 0u || (!is_nan(best) && (is_nan(v) || v > best))) { best = v; winner = entry; }
  }
  out[i] = winner;
}`;
}

/** unfoldMatmul: `numel` = N * G * Og * L outputs; weight [G, Og, Kg], x [N, M], index [G * Kg * L], bias [G * Og]. */
export const unfoldMatmulParams = paramTable(
  u32('numel'), u32('groups'), u32('og'), u32('kg'), u32('l'), u32('m'), u32('hasBias'),
  view('wView', 3), view('xView', 2), view('indexView', 1), view('biasView', 1),
);

export function unfoldMatmulShader(): string {
  return `${unfoldMatmulParams.wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> index: array<i32>;
@group(0) @binding(5) var<storage, read> bias: array<f32>;
${statusWgsl(6)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = ${LINEAR_INDEX};
  if (i >= params.numel) { return; }
  // out[n, g, o, p]
  let p = i % params.l;
  let o = (i / params.l) % params.og;
  let g = (i / (params.l * params.og)) % params.groups;
  let n = i / (params.l * params.og * params.groups);
  let xRow = params.xView.offset + n * params.xView.strides[0];
  var wAt = params.wView.offset + g * params.wView.strides[0] + o * params.wView.strides[1];
  var iAt = params.indexView.offset + ((g * params.kg) * params.l + p) * params.indexView.strides[0];
  let iStep = params.l * params.indexView.strides[0];
  var acc = 0.0;
  for (var q = 0u; q < params.kg; q++) {
    let entry = index[iAt];
    ${flagOutside('entry', 'params.m')}
    acc += w[wAt] * x[xRow + ${checkedRead('entry', 'params.m')} * params.xView.strides[1]];
    wAt += params.wView.strides[2];
    iAt += iStep;
  }
  if (params.hasBias != 0u) {
    acc += bias[params.biasView.offset + (g * params.og + o) * params.biasView.strides[0]];
  }
  out[i] = acc;
}`;
}

/** unfoldMatmulWeightGrad: `numel` = G * Og * Kg outputs, each a sum over N samples and L positions. */
export const unfoldWeightGradParams = paramTable(
  u32('numel'), u32('n'), u32('groups'), u32('og'), u32('kg'), u32('l'), u32('m'), view('gView', 4), view('xView', 2), view('indexView', 1),
);

export function unfoldWeightGradShader(): string {
  return `${unfoldWeightGradParams.wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> index: array<i32>;
${statusWgsl(5)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= params.numel) { return; }
  // out[g, o, q] = sum over samples and positions of grad[n, g, o, p] * x[n, index[(g * kg + q) * l + p]]
  let q = i % params.kg;
  let o = (i / params.kg) % params.og;
  let g = i / (params.kg * params.og);
  let iRow = params.indexView.offset + (g * params.kg + q) * params.l * params.indexView.strides[0];
  var acc = 0.0;
  for (var n = 0u; n < params.n; n++) {
    let gRow = params.gView.offset + n * params.gView.strides[0] + g * params.gView.strides[1] + o * params.gView.strides[2];
    let xRow = params.xView.offset + n * params.xView.strides[0];
    for (var p = 0u; p < params.l; p++) {
      let entry = index[iRow + p * params.indexView.strides[0]];
      ${flagOutside('entry', 'params.m')}
      acc += grad[gRow + p * params.gView.strides[3]] * x[xRow + ${checkedRead('entry', 'params.m')} * params.xView.strides[1]];
    }
  }
  out[i] = acc;
}`;
}
