import type { Device } from './device.js';
import { isFloating } from './dtype.js';
import { gradMode } from './grad-mode.js';
import { GradNode, GRAD_FN_NAMES, type InputMeta } from './graph.js';
import type { DiffOp, OpName, OpParams } from './op-params.js';

export { NO_PARAMS } from './op-params.js';
import { Tensor } from './tensor.js';

/** What an op computes, given its inputs, its parameters and the device the gate resolved. */
export type OpBody<K extends OpName, R> = (inputs: readonly Tensor[], params: OpParams[K], device: Device) => R;

/** One op that passed the gate, as a hook sees it. */
export interface OpEvent<K extends OpName = OpName> {
  readonly op: K;
  readonly device: Device;
  readonly inputs: readonly Tensor[];
  readonly params: OpParams[K];
  /** The result; undefined for ops that write in place. */
  readonly output: Tensor | undefined;
  /** 0 for an op the program called; 1 and more for ops a composite op ran inside its body. */
  readonly depth: number;
}

export type OpHook = (event: OpEvent) => void;

const hooks: OpHook[] = [];
/** How many op bodies are running; counted only while a hook listens (a hook added mid-op sees depths from 0). */
let depth = 0;
/** The ops with a gradient rule: those with a grad_fn name. */
const DIFFERENTIABLE: ReadonlySet<OpName> = new Set(Object.keys(GRAD_FN_NAMES) as DiffOp[]);

/**
 * Calls `hook` after every op that completes, differentiable or not, until the returned function is called: the one
 * place a profiler, a tracer or a test counting ops per training step attaches.
 */
export function onOp(hook: OpHook): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/**
 * The one gate every op passes: resolves the device (all inputs must share it), runs the op's body (which calls
 * the backend through `kernels.ts`), records a GradNode for `@descent/autograd` when grad mode is on and an input
 * requires grad, and tells the hooks. The body runs with recording off, so a composite op is one node, as in
 * PyTorch. Ops with no inputs (creation) name their device.
 */
export function run<K extends OpName, R extends Tensor | void>(
  op: K,
  inputs: readonly Tensor[],
  params: OpParams[K],
  body: OpBody<K, R>,
  device: Device = sameDevice(inputs),
): R {
  const record = gradMode.enabled && anyRequiresGrad(inputs) && DIFFERENTIABLE.has(op);
  // The common case (no history to record, nobody listening) is a plain call, kept small so it inlines: a small op
  // costs ~0.1 µs in all.
  if (!record && hooks.length === 0) return body(inputs, params, device);
  return runTracked(op, inputs, params, body, device, record);
}

/** `run` when it records history or a hook listens. */
function runTracked<K extends OpName, R extends Tensor | void>(
  op: K,
  inputs: readonly Tensor[],
  params: OpParams[K],
  body: OpBody<K, R>,
  device: Device,
  record: boolean,
): R {
  if (record) gradMode.enabled = false;
  depth++;
  let out: R;
  try {
    out = body(inputs, params, device);
  } finally {
    depth--;
    if (record) gradMode.enabled = true;
  }
  // `record` implies a differentiable op, and so parameters of a DiffOp (TypeScript cannot link the two).
  if (record && out instanceof Tensor && isFloating(out.dtype)) recordHistory(op as DiffOp, inputs, params as OpParams[DiffOp], out);
  if (hooks.length > 0) notify({ op, device, inputs, params, output: out instanceof Tensor ? out : undefined, depth });
  return out;
}

function recordHistory(op: DiffOp, inputs: readonly Tensor[], params: OpParams[DiffOp], out: Tensor): void {
  const n = inputs.length;
  const next = new Array<GradNode | null>(n);
  const meta = new Array<InputMeta>(n);
  const saved = new Array<Tensor>(n + 1);
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    next[i] = t.requiresGrad ? t._gradEdge() : null;
    // Shapes only, not tensors: the inputs' memory can go once the saved tensors are released.
    meta[i] = { shape: t.shape, dtype: t.dtype };
    saved[i] = t;
  }
  saved[n] = out;
  out._setHistory(new GradNode(op, next, meta, params, saved));
}

function notify(event: OpEvent): void {
  // A copy: a hook may unsubscribe itself while it runs.
  for (const hook of hooks.slice()) hook(event);
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

/** The device all `tensors` live on; a clear error when two differ. */
export function sameDevice(tensors: readonly Tensor[]): Device {
  const device = tensors[0]._storage.device;
  for (let i = 1; i < tensors.length; i++) {
    const other = tensors[i]._storage.device;
    if (other !== device) {
      throw new Error(
        `Expected all tensors to be on the same device, but found at least two devices, ${device} and ${other}! ` +
          'Move them with .to(device) first.',
      );
    }
  }
  return device;
}
