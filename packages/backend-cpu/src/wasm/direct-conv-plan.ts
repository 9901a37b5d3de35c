import type { ConvGeometry } from '@descent/backend';

/**
 * A stride-1 convolution as the direct kernels see it (direct-conv-kernels.ts): each input plane written out with
 * its zero border (PH x PW), and positions running flat over the output rows at the padded row width PW, so window
 * row q = (c, ky, kx) reads the plane at `c * PH * PW + ky * DH * PW + kx * DW` plus the position.
 */
export interface DirectPlan {
  /** Input channels over all groups, and per group. */
  channels: number;
  perGroup: number;
  h: number;
  w: number;
  padTop: number;
  padLeft: number;
  ph: number;
  pw: number;
  kh: number;
  kw: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
  /** Floats of one zero-bordered input plane. */
  plane: number;
  /** Window rows per group (perGroup * kh * kw) and output positions (oh * ow). */
  kg: number;
  l: number;
}

/**
 * The plan for `geometry` if it is a convolution the direct kernels run and matches the operands' sizes (`groups`
 * groups of `kg` window rows over `l` positions, x rows of `m` floats holding C * H * W, plus the padding element
 * when there is padding); null otherwise. 3-D convolutions go through the table.
 */
export function directPlan(geometry: ConvGeometry | null | undefined, groups: number, kg: number, l: number, m: number): DirectPlan | null {
  if (!geometry || geometry.input.length === 0 || geometry.input.length > 2) return null;
  const two = (values: readonly number[], fill: number): [number, number] => (values.length === 1 ? [fill, values[0]] : [values[0], values[1]]);
  const [h, w] = two(geometry.input, 1);
  const [padTop, padLeft] = two(geometry.before, 0);
  const [padBottom, padRight] = two(geometry.after, 0);
  const [kh, kw] = two(geometry.kernel, 1);
  const [dh, dw] = two(geometry.dilation, 1);
  const channels = geometry.channels;
  if (channels % groups !== 0) return null;
  const perGroup = channels / groups;
  const ph = h + padTop + padBottom;
  const pw = w + padLeft + padRight;
  const oh = ph - dh * (kh - 1);
  const ow = pw - dw * (kw - 1);
  const padded = padTop + padLeft + padBottom + padRight > 0;
  if (oh < 1 || ow < 1 || perGroup * kh * kw !== kg || oh * ow !== l || channels * h * w + (padded ? 1 : 0) !== m) return null;
  return { channels, perGroup, h, w, padTop, padLeft, ph, pw, kh, kw, dh, dw, oh, ow, plane: ph * pw, kg, l };
}

/**
 * Whether the first `groups * kg` rows of the table (`rowsPerGroup` rows a group) read what `p` says: the element
 * `c * H * W + iy * W + ix` of the window at each position, or the padding element `C * H * W` outside the input.
 * The hint is only trusted once the table agrees with it.
 */
export function tableMatches(reads: Int32Array, p: DirectPlan, groups: number, rowsPerGroup: number): boolean {
  const { perGroup, h, w, kh, kw, dh, dw, oh, ow, padTop, padLeft, l } = p;
  const padding = p.channels * h * w;
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < perGroup; c++) {
      const planeStart = (g * perGroup + c) * h * w;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          let at = (g * rowsPerGroup + (c * kh + ky) * kw + kx) * l;
          for (let y = 0; y < oh; y++) {
            const iy = y + ky * dh - padTop;
            const rowInside = iy >= 0 && iy < h;
            for (let x = 0; x < ow; x++, at++) {
              const ix = x + kx * dw - padLeft;
              const expected = rowInside && ix >= 0 && ix < w ? planeStart + iy * w + ix : padding;
              if (reads[at] !== expected) return false;
            }
          }
        }
      }
    }
  }
  return true;
}

/** Byte offsets of a group's window rows q = (c, ky, kx) into its zero-bordered planes. */
export function windowBases(p: DirectPlan): Int32Array {
  const bases = new Int32Array(p.kg);
  for (let c = 0, q = 0; c < p.perGroup; c++) {
    for (let ky = 0; ky < p.kh; ky++) for (let kx = 0; kx < p.kw; kx++, q++) bases[q] = 4 * (c * p.plane + ky * p.dh * p.pw + kx * p.dw);
  }
  return bases;
}

/**
 * `rows` x `steps` weights from `value(r, q)` packed `[ceil(rows / 4)][steps][4]` (the rows of a block of 4
 * together at each step, zero past the last row): the correlate kernel's layout.
 */
export function packBlocks(rows: number, steps: number, value: (r: number, q: number) => number, heap: Float32Array, at: number): number {
  const blocks = Math.ceil(rows / 4);
  heap.fill(0, at, at + blocks * steps * 4);
  for (let r = 0; r < rows; r++) {
    const base = at + Math.floor(r / 4) * steps * 4 + (r % 4);
    for (let q = 0; q < steps; q++) heap[base + 4 * q] = value(r, q);
  }
  return blocks;
}

/**
 * Whether the direct kernel is expected to beat the table's (im2col) for one of the three products, by a cost in
 * multiply-adds counted as the kernels run them (padded to their blocks; the direct ones also over the columns past
 * the output's width and, for the input gradient, over the whole bordered plane), with each float the table's path
 * gathers or scatters worth 12 and the weight-gradient kernel's multiply-add 1.3 (it loads 6 vectors per 8 instead
 * of 7 per 8 with 4 of them splats). Fitted on one thread to LeNet's two layers and a 3x3, 32-channel one: the
 * direct forward wins on all three, the direct weight gradient on LeNet's first layer (one input channel) and about
 * even elsewhere, the direct input gradient on the 3x3 layer and not on LeNet's.
 */
export function directPays(kind: 'forward' | 'weightGrad' | 'inputGrad', p: DirectPlan, groups: number, og: number): boolean {
  const up = (v: number, m: number): number => Math.ceil(v / m) * m;
  const { kg, l } = p;
  const flatOut = p.oh * p.pw;
  const moved = 12 * groups * kg * l;
  if (kind === 'forward') return groups * up(og, 4) * up(flatOut, 8) * kg <= groups * up(og, 4) * up(l, 8) * kg + moved;
  if (kind === 'weightGrad') return 1.3 * groups * up(og, 4) * up(kg + 1, 2) * up(flatOut, 8) <= groups * up(og, 4) * up(kg + 1, 8) * l + moved;
  return groups * up(p.perGroup, 4) * up(p.plane, 8) * og * p.kh * p.kw <= groups * up(kg, 4) * up(l, 8) * og + moved;
}
