import { DISPOSE } from './disposable.js';
import { legacyTypeName } from './dtype.js';
import { Tensor } from './tensor.js';

/**
 * A tensor hook: called with the gradient with respect to the tensor; returning a tensor replaces that gradient,
 * returning nothing (or null) keeps it, as PyTorch's `tensor.register_hook`.
 */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;

let nextHandleId = 0;

/**
 * What every `register*Hook` returns, as PyTorch's `torch.utils.hooks.RemovableHandle`: `remove()` takes the hook
 * out (a second call does nothing), and `using handle = t.registerHook(...)` removes it at the end of the block.
 */
export class RemovableHandle {
  /** A number unique to this handle, as PyTorch's `handle.id`. */
  readonly id = nextHandleId++;

  constructor(private readonly hooks: Map<number, unknown>) {}

  remove(): void {
    this.hooks.delete(this.id);
  }

  [DISPOSE](): void {
    this.remove();
  }
}

/** Adds `hook` to `hooks` in registration order and returns the handle that removes it. */
export function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  const handle = new RemovableHandle(hooks);
  hooks.set(handle.id, hook);
  return handle;
}

function pythonTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'list' : typeof value;
}

function typeName(t: Tensor): string {
  const name = legacyTypeName(t.dtype);
  return t.device.type === 'cpu' ? name : name.replace('torch.', `torch.${t.device.type}.`);
}

/** A hook's result, checked as PyTorch checks it: null when it kept the gradient, else a tensor like `grad`. */
function hookResult(hook: TensorHook, grad: Tensor, result: unknown): Tensor | null {
  if (result === undefined || result === null) return null;
  if (!(result instanceof Tensor)) throw new TypeError(`expected Variable, but hook returned '${pythonTypeName(result)}'`);
  const name = hook.name || '<lambda>';
  if (result.dtype !== grad.dtype || result.device !== grad.device) {
    throw new Error(`hook '${name}' has changed the type of value (was ${typeName(grad)} got ${typeName(result)})`);
  }
  if (result.shape.join() !== grad.shape.join()) throw new Error(`hook '${name}' has changed the size of value`);
  return result;
}

/**
 * The hooks on the gradient arriving at one graph node: a non-leaf's `gradFn`, or a leaf's AccumulateGrad. The
 * engine calls `run` before the node's rule (or before a leaf's accumulation into `.grad`).
 */
export class GradHooks {
  /** Tensor hooks (`registerHook`), in registration order. */
  readonly hooks = new Map<number, TensorHook>();
  /** Hooks that run after the tensor hooks and retainGrad, as the node's post hooks (module backward hooks). */
  readonly post = new Map<number, TensorHook>();
  /**
   * Whether `retainGrad()` came before the first tensor hook: then the retained gradient is the one before the
   * hooks, else the one after them all (PyTorch 1.13 runs the tensor's hooks as one pre-hook of its grad_fn, placed
   * at the first registration, and retain_grad as another, placed at its call).
   */
  private retainFirst: boolean | null = null;

  /** Registers a tensor hook; `retaining` says whether the tensor already retains its gradient. */
  add(hook: TensorHook, retaining: boolean): RemovableHandle {
    this.retainFirst ??= retaining;
    return addHook(this.hooks, hook);
  }

  /**
   * The gradient after every hook, in order: the tensor hooks, then (`keep`) the retained gradient of `retained`,
   * then the post hooks. Each hook sees the gradient the previous ones left.
   */
  run(grad: Tensor, retained: Tensor | null, keep: (retained: Tensor, grad: Tensor) => void): Tensor {
    if (retained && this.retainFirst !== false) keep(retained, grad);
    for (const hook of this.hooks.values()) grad = hookResult(hook, grad, hook(grad)) ?? grad;
    if (retained && this.retainFirst === false) keep(retained, grad);
    for (const hook of this.post.values()) grad = hookResult(hook, grad, hook(grad)) ?? grad;
    return grad;
  }
}
