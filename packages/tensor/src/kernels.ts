import {
  contiguousStrides,
  type BinaryOp,
  type ConvGeometry,
  type DType,
  type Operand,
  type ReduceOp,
  type UnaryOp,
  type View,
  type AdamUpdate,
  type HostArray,
  type SgdUpdate,
} from '@descent/backend';
import type { Device, OptionalBackendMethod } from './device.js';
import { numel } from './shape.js';
import { Storage } from './storage.js';
import { Tensor } from './tensor.js';

/**
 * The only place that calls a backend's compute methods. Each function hands the backend strided views and wraps
 * the new buffer in a contiguous Tensor. Ops reach these only through the gate (`gate.ts`), which has already
 * checked that the inputs share a device and records autograd.
 */



function operand(t: Tensor, view?: View): Operand<unknown> {
  return { buffer: buffer(t), view: view ?? t._view(), dtype: t.dtype };
}

export function wrap(device: Device, buffer: unknown, shape: readonly number[], dtype: DType): Tensor {
  const n = numel(shape);
  const t = new Tensor(new Storage(device, buffer, n, dtype), shape, contiguousStrides(shape), 0, dtype);
  if (activeScopes.length > 0) activeScopes[activeScopes.length - 1].push(t);
  return t;
}

/** Tensors created inside each open `scope()`, innermost last. */
export const activeScopes: Tensor[][] = [];

/** The view of `t` broadcast to `shape` (stride 0 on new or size-1 dims), with no copy. */
export function broadcastView(t: Tensor, shape: readonly number[]): View {
  if (t.shape === shape) return t._view();
  const rank = shape.length;
  const lead = rank - t.shape.length;
  const strides = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const j = i - lead;
    strides[i] = j < 0 || (t.shape[j] === 1 && shape[i] !== 1) ? 0 : t._strides[j];
  }
  return { shape, strides, offset: t._offset };
}

export function upload(device: Device, data: HostArray, shape: readonly number[], dtype: DType): Tensor {
  return wrap(device, device.backend.upload(data, dtype), shape, dtype);
}

export function unary(op: UnaryOp, x: Tensor): Tensor {
  const buffer = x.device.backend.unary(op, operand(x));
  return wrap(x.device, buffer, x.shape, op === 'logicalNot' ? 'bool' : x.dtype);
}

/** `a` and `b` must share a dtype; they are broadcast to `shape` through strides. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor, shape: readonly number[], outDtype: DType): Tensor {
  const device = a.device;
  const buffer = device.backend.binary(op, operand(a, broadcastView(a, shape)), operand(b, broadcastView(b, shape)));
  return wrap(device, buffer, shape, outDtype);
}

export function where(cond: Tensor, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const device = a.device;
  const buffer = device.backend.where(
    operand(cond, broadcastView(cond, shape)),
    operand(a, broadcastView(a, shape)),
    operand(b, broadcastView(b, shape)),
  );
  return wrap(device, buffer, shape, a.dtype);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  return wrap(x.device, x.device.backend.cast(operand(x), dtype), x.shape, dtype);
}

/** A contiguous copy of `x`. */
export function copyContiguous(x: Tensor): Tensor {
  const backend = x.device.backend;
  const out = wrap(x.device, backend.alloc(numel(x.shape), x.dtype), x.shape, x.dtype);
  backend.copy(operand(x), operand(out));
  return out;
}

/** Writes `src` (broadcast to `dst`'s shape, same dtype) through `dst`'s view: the storage of in-place ops. */
export function copyInto(src: Tensor, dst: Tensor): void {
  dst.device.backend.copy(operand(src, broadcastView(src, dst.shape)), operand(dst));
}

export function fill(dst: Tensor, value: number): void {
  dst.device.backend.fill(operand(dst), value);
}

export function full(device: Device, shape: readonly number[], value: number, dtype: DType): Tensor {
  const out = wrap(device, device.backend.alloc(numel(shape), dtype), shape, dtype);
  if (out.numel() > 0) device.backend.fill(operand(out), value);
  return out;
}

/**
 * Reduces `dims` of `x` (already normalized, ascending). The reduced axes are permuted to the end through
 * strides, so the backend only ever reduces trailing axes.
 */
export function reduce(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const rank = x.shape.length;
  // PyTorch: indices are int64, and integer or bool sums and products accumulate into int64.
  const integral = x.dtype !== 'float32' && x.dtype !== 'float64';
  const outDtype: DType = op === 'argmax' || op === 'argmin' || (integral && (op === 'sum' || op === 'prod')) ? 'int64' : x.dtype;
  if (dims.length === rank) {
    // Every axis: the tensor's own view already has the reduced axes last.
    const buffer = x.device.backend.reduce(op, operand(x), rank);
    return wrap(x.device, buffer, keepdim ? x.shape.map(() => 1) : [], outDtype);
  }
  const keep: number[] = [];
  for (let d = 0; d < rank; d++) if (!dims.includes(d)) keep.push(d);
  const order = [...keep, ...dims];
  const view: View = {
    shape: order.map((d) => x.shape[d]),
    strides: order.map((d) => x._strides[d]),
    offset: x._offset,
  };
  const buffer = x.device.backend.reduce(op, operand(x, view), dims.length);
  const shape = keepdim ? x.shape.map((s, d) => (dims.includes(d) ? 1 : s)) : keep.map((d) => x.shape[d]);
  return wrap(x.device, buffer, shape, outDtype);
}

/** [batch, m, k] x [batch, k, n] -> [batch, m, n]; batch strides may be 0 (broadcast). */
export function matmul3(a: Tensor, b: Tensor): Tensor {
  const device = a.device;
  const buffer = device.backend.matmul(operand(a), operand(b));
  return wrap(device, buffer, [a.shape[0], a.shape[1], b.shape[2]], a.dtype);
}

/** [m, k] x [k, n] -> [m, n], handing the backend a batch of one through strides (no intermediate tensors). */
export function matmul2(a: Tensor, b: Tensor): Tensor {
  const device = a.device;
  const batched = (t: Tensor): View => ({ shape: [1, t.shape[0], t.shape[1]], strides: [0, t._strides[0], t._strides[1]], offset: t._offset });
  const buffer = device.backend.matmul(operand(a, batched(a)), operand(b, batched(b)));
  return wrap(device, buffer, [a.shape[0], b.shape[1]], a.dtype);
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const device = x.device;
  return wrap(device, device.backend.gather(operand(x), dim, operand(index)), index.shape, x.dtype);
}

export function scatterAdd(shape: readonly number[], dim: number, index: Tensor, src: Tensor): Tensor {
  const device = src.device;
  return wrap(device, device.backend.scatterAdd(shape, dim, operand(index), operand(src)), shape, src.dtype);
}

/** The backend's fused softmax over the last axis; callers check `supports(device, 'softmax')` first. */
export function fusedSoftmax(x: Tensor, log: boolean): Tensor {
  const softmax = required(x.device, x.device.backend.softmax, 'softmax');
  return wrap(x.device, softmax.call(x.device.backend, operand(x), log), x.shape, 'float32');
}

/** The backend's fused per-row cross-entropy of [rows, classes] logits; check `supports` first. */
export function fusedCrossEntropy(logits: Tensor, target: Tensor): Tensor {
  const device = logits.device;
  const crossEntropy = required(device, device.backend.crossEntropy, 'crossEntropy');
  return wrap(device, crossEntropy.call(device.backend, operand(logits), operand(target)), [logits.shape[0]], 'float32');
}

/** The backend's stable int64 argsort along the last axis; check `supports('argsort')` first. */
export function fusedArgsort(x: Tensor, descending: boolean): Tensor {
  const argsort = required(x.device, x.device.backend.argsort, 'argsort');
  return wrap(x.device, argsort.call(x.device.backend, operand(x), descending), x.shape, 'int64');
}

/** The backend's fused max-pooling winners [rows, windows], in the index's dtype; check `supports('windowArgmax')` first. */
export function fusedWindowArgmax(x: Tensor, index: Tensor, window: number): Tensor {
  const windowArgmax = required(x.device, x.device.backend.windowArgmax, 'windowArgmax');
  const shape = [x.shape[0], index.shape[1] / window];
  return wrap(x.device, windowArgmax.call(x.device.backend, operand(x), operand(index), window), shape, index.dtype);
}

/** The backend's fused convolution product (`ops/unfold-matmul.ts`): [N, G, Og, L]. */
export function fusedUnfoldMatmul(weight: Tensor, x: Tensor, index: Tensor, bias: Tensor | null, geometry: ConvGeometry | null): Tensor {
  const device = x.device;
  const unfold = required(device, device.backend.unfoldMatmul, 'unfoldMatmul');
  const [groups, og, kg] = weight.shape;
  const shape = [x.shape[0], groups, og, index.shape[0] / (groups * kg)];
  return wrap(device, unfold.call(device.backend, operand(weight), operand(x), operand(index), bias && operand(bias), geometry), shape, x.dtype);
}

/** Its weight gradient, [G, Og, Kg]. */
export function fusedUnfoldMatmulWeightGrad(grad: Tensor, x: Tensor, index: Tensor, geometry: ConvGeometry | null): Tensor {
  const device = x.device;
  const weightGrad = required(device, device.backend.unfoldMatmulWeightGrad, 'unfoldMatmulWeightGrad');
  const [, groups, og, l] = grad.shape;
  const shape = [groups, og, index.shape[0] / (groups * l)];
  return wrap(device, weightGrad.call(device.backend, operand(grad), operand(x), operand(index), geometry), shape, x.dtype);
}

/** Its input gradient, [N, width]. */
export function fusedUnfoldMatmulInputGrad(weight: Tensor, grad: Tensor, index: Tensor, width: number, geometry: ConvGeometry | null): Tensor {
  const device = grad.device;
  const inputGrad = required(device, device.backend.unfoldMatmulInputGrad, 'unfoldMatmulInputGrad');
  return wrap(device, inputGrad.call(device.backend, operand(weight), operand(grad), operand(index), width, geometry), [grad.shape[0], width], grad.dtype);
}

/** The backend's fused LSTM cell (`ops/rnn-cells.ts`): hy and cy [B, H], the workspace [B, 4H]. */
export function fusedLstmCell(inputGates: Tensor, hiddenGates: Tensor, cx: Tensor): [Tensor, Tensor, Tensor] {
  const device = cx.device;
  const cell = required(device, device.backend.lstmCell, 'lstmCell');
  const [hy, cy, workspace] = cell.call(device.backend, operand(inputGates), operand(hiddenGates), operand(cx));
  return [wrap(device, hy, cx.shape, 'float32'), wrap(device, cy, cx.shape, 'float32'), wrap(device, workspace, inputGates.shape, 'float32')];
}

/** Its backward: the gates' gradient [B, 4H] and cx's [B, H]. */
export function fusedLstmCellBackward(gradHy: Tensor | null, gradCy: Tensor | null, cx: Tensor, cy: Tensor, workspace: Tensor): [Tensor, Tensor] {
  const device = cx.device;
  const backward = required(device, device.backend.lstmCellBackward, 'lstmCellBackward');
  const [gates, gradCx] = backward.call(device.backend, gradHy && operand(gradHy), gradCy && operand(gradCy), operand(cx), operand(cy), operand(workspace));
  return [wrap(device, gates, workspace.shape, 'float32'), wrap(device, gradCx, cx.shape, 'float32')];
}

/** The backend's fused GRU cell: hy [B, H] and the workspace [B, 5H]. */
export function fusedGruCell(inputGates: Tensor, hiddenGates: Tensor, hx: Tensor): [Tensor, Tensor] {
  const device = hx.device;
  const cell = required(device, device.backend.gruCell, 'gruCell');
  const [hy, workspace] = cell.call(device.backend, operand(inputGates), operand(hiddenGates), operand(hx));
  const [batch, hidden] = hx.shape;
  return [wrap(device, hy, hx.shape, 'float32'), wrap(device, workspace, [batch, 5 * hidden], 'float32')];
}

/** Its backward: the input gates' and hidden gates' gradients [B, 3H], and hx's [B, H]. */
export function fusedGruCellBackward(gradHy: Tensor, workspace: Tensor): [Tensor, Tensor, Tensor] {
  const device = gradHy.device;
  const backward = required(device, device.backend.gruCellBackward, 'gruCellBackward');
  const [gradInput, gradHidden, gradHx] = backward.call(device.backend, operand(gradHy), operand(workspace));
  const gates = [gradHy.shape[0], 3 * gradHy.shape[1]];
  return [wrap(device, gradInput, gates, 'float32'), wrap(device, gradHidden, gates, 'float32'), wrap(device, gradHx, gradHy.shape, 'float32')];
}

function required<F>(device: Device, method: F | undefined, name: OptionalBackendMethod): F {
  if (method === undefined) throw new Error(`The '${device}' backend has no ${name}(): check device.supports() before a fused path.`);
  return method;
}

/** A buffer of `n` elements whose contents the caller overwrites completely. */
export function empty(device: Device, shape: readonly number[], dtype: DType): Tensor {
  return wrap(device, device.backend.alloc(numel(shape), dtype), shape, dtype);
}

/** Row-major elements of a contiguous, whole-buffer tensor, read synchronously; check `supports(readSync)`. */
export function readSync(t: Tensor): HostArray {
  const backend = t.device.backend;
  const read = required(t.device, backend.readSync, 'readSync');
  return read.call(backend, buffer(t), t.dtype, t.numel());
}

export function readAsync(t: Tensor): Promise<HostArray> {
  return t.device.backend.read(buffer(t), t.dtype, t.numel());
}

/** One fused SGD step over whole, contiguous buffers (momentum may be null); check `supports(sgdUpdate)`. */
export function sgdUpdate(param: Tensor, grad: Tensor, momentum: Tensor | null, h: SgdUpdate): void {
  const backend = param.device.backend;
  const update = required(param.device, backend.sgdUpdate, 'sgdUpdate');
  update.call(backend, buffer(param), buffer(grad), momentum ? buffer(momentum) : null, param.numel(), h);
}

/** One fused Adam/AdamW step over whole, contiguous buffers; check `supports(adamUpdate)`. */
export function adamUpdate(
  param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null, h: AdamUpdate,
): void {
  const backend = param.device.backend;
  const update = required(param.device, backend.adamUpdate, 'adamUpdate');
  const max = maxExpAvgSq ? buffer(maxExpAvgSq) : null;
  update.call(backend, buffer(param), buffer(grad), buffer(expAvg), buffer(expAvgSq), max, param.numel(), h);
}

function buffer(t: Tensor): unknown {
  const b = t._storage.buffer;
  if (b === null) throw new Error('This tensor was disposed: its memory was freed by dispose() or a scope.');
  return b;
}
