import { cat, isGradEnabled, RemovableHandle, Tensor, zerosLike } from '@descent/tensor';
import type { Module } from './module.js';

/** `hook(module, inputs)` before `forward`: returning a value replaces the inputs (a non-array is one input). */
export type ForwardPreHook<M extends Module = Module> = (module: M, inputs: Parameters<M['forward']>) => unknown;
/** `hook(module, inputs, output)` after `forward`: returning a value replaces the output. */
export type ForwardHook<M extends Module = Module> = (
  module: M,
  inputs: Parameters<M['forward']>,
  output: ReturnType<M['forward']>,
) => unknown;
/**
 * `hook(module, gradInput, gradOutput)` during backward, with the gradients with respect to the module's inputs and
 * outputs (null where an input or output is not a tensor or gets no gradient): returning an array replaces
 * `gradInput`.
 */
export type FullBackwardHook<M extends Module = Module> = (
  module: M,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => (Tensor | null)[] | null | undefined | void;

declare module './module.js' {
  interface Module {
    /**
     * Calls `hook(module, inputs)` before each `forward` run by calling the module (`model(x)`, not
     * `model.forward(x)`), as PyTorch's `register_forward_pre_hook`. Returning a value replaces the inputs: an array
     * is the new inputs, anything else the one new input.
     */
    registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle;
    /**
     * Calls `hook(module, inputs, output)` after each `forward` run by calling the module, as PyTorch's
     * `register_forward_hook`. Returning a value replaces the output.
     */
    registerForwardHook(hook: ForwardHook<this>): RemovableHandle;
    /**
     * Calls `hook(module, gradInput, gradOutput)` once the gradients with respect to the module's inputs are
     * computed, as PyTorch's `register_full_backward_hook`: one entry per input (per output), null for one that is
     * not a tensor, and zeros (null for an output) where no gradient reached it. Returning an array of the same
     * length replaces `gradInput`. The module's inputs and outputs pass through identity views while it has such
     * hooks, as PyTorch's BackwardHookFunction.
     */
    registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle;
    /**
     * The forward pre-hooks by handle id, in the order they run: the live map, as PyTorch's `_forward_pre_hooks`
     * (`nn.utils.prune` finds and deletes its pruning methods there).
     */
    readonly _forwardPreHooks: Map<number, ForwardPreHook>;
  }
}

interface ModuleHooks {
  readonly forwardPre: Map<number, ForwardPreHook>;
  readonly forward: Map<number, ForwardHook>;
  readonly backward: Map<number, FullBackwardHook>;
}

const HOOKS = new WeakMap<Module, ModuleHooks>();

function hooksOf(module: Module): ModuleHooks {
  let hooks = HOOKS.get(module);
  if (!hooks) {
    hooks = { forwardPre: new Map(), forward: new Map(), backward: new Map() };
    HOOKS.set(module, hooks);
  }
  return hooks;
}

function register<K extends keyof ModuleHooks>(module: Module, kind: K, hook: ModuleHooks[K] extends Map<number, infer H> ? H : never): RemovableHandle {
  const hooks = hooksOf(module)[kind] as Map<number, unknown>;
  const handle = new RemovableHandle(hooks);
  hooks.set(handle.id, hook);
  return handle;
}

/** @internal Puts the register methods on `Module.prototype` (module.ts calls this once). */
export function installModuleHooks(proto: Module): void {
  type Methods = Pick<Module, 'registerForwardPreHook' | 'registerForwardHook' | 'registerFullBackwardHook'>;
  const methods: Methods & ThisType<Module> = {
    registerForwardPreHook(hook) { return register(this, 'forwardPre', hook as ForwardPreHook); },
    registerForwardHook(hook) { return register(this, 'forward', hook as ForwardHook); },
    registerFullBackwardHook(hook) { return register(this, 'backward', hook as FullBackwardHook); },
  };
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(proto, '_forwardPreHooks', {
    get(this: Module) {
      return hooksOf(this).forwardPre;
    },
    configurable: true,
    enumerable: false,
  });
}

/**
 * What calling a module runs, as PyTorch's `Module.__call__`: the forward pre-hooks, `forward`, the forward hooks,
 * with the inputs and output passed through identity nodes when there are full backward hooks.
 */
export function callModule(module: Module, inputs: unknown[]): unknown {
  const hooks = HOOKS.get(module);
  if (!hooks) return module.forward(...inputs);
  let args = inputs;
  for (const hook of [...hooks.forwardPre.values()]) {
    const result = hook(module, args);
    if (result !== undefined && result !== null) args = Array.isArray(result) ? result : [result];
  }
  const backward = hooks.backward.size > 0 ? new BackwardHook(module, [...hooks.backward.values()]) : null;
  if (backward) args = backward.setupInputs(args);
  let output: unknown = module.forward(...args);
  for (const hook of [...hooks.forward.values()]) {
    const result = hook(module, args, output);
    if (result !== undefined && result !== null) output = result;
  }
  return backward ? backward.setupOutputs(output) : output;
}

type GradsHook = (grads: (Tensor | null)[]) => (Tensor | null)[] | undefined;

/**
 * Passes `tensors` (each requiring grad) through one identity node, so that `onGrads` is called once per backward
 * pass with the gradient each of them received (null where none did), after their own tensor hooks and before any
 * of it flows on; returning gradients replaces them (null with zeros). One tensor goes through a view (no copy);
 * several are packed into one flat `cat` (a copy) and viewed back, so that their gradients meet in the cat's node.
 */
function identityGroup(tensors: Tensor[], onGrads: GradsHook): Tensor[] {
  const received: (Tensor | null)[] = tensors.map(() => null);
  const take = () => {
    const grads = received.slice();
    received.fill(null);
    return onGrads(grads);
  };
  if (tensors.length === 1) {
    const out = tensors[0].view(tensors[0].shape);
    out._registerPostHook((grad) => {
      received[0] = grad;
      const replaced = take();
      return replaced && (replaced[0] ?? zerosLike(grad));
    });
    return [out];
  }
  const packed = cat(tensors.map((t) => t.reshape(-1)));
  let offset = 0;
  const outs = tensors.map((t, i) => {
    const out = packed.narrow(0, offset, t.numel()).view(t.shape);
    offset += t.numel();
    out._registerPostHook((grad) => {
      received[i] = grad;
    });
    return out;
  });
  packed._registerPostHook(() => {
    const replaced = take();
    return replaced && cat(replaced.map((g, i) => (g ?? zerosLike(tensors[i])).reshape(-1)));
  });
  return outs;
}

/** The tensors of `args` through one identity node, as PyTorch's `_apply_on_tensors`: null when none needs it. */
function wrapTensors(
  args: unknown[],
  onGrads: (grads: (Tensor | null)[], index: number[], tensors: Tensor[]) => (Tensor | null)[] | undefined,
): unknown[] | null {
  const index: number[] = [];
  args.forEach((arg, i) => arg instanceof Tensor && index.push(i));
  const tensors = index.map((i) => args[i] as Tensor);
  const wrapped = tensors.map((t, k) => (t.requiresGrad ? k : -1)).filter((k) => k >= 0);
  if (wrapped.length === 0 || !isGradEnabled()) return null;
  const outs = identityGroup(
    wrapped.map((k) => tensors[k]),
    (grads) => {
      const all: (Tensor | null)[] = tensors.map(() => null);
      wrapped.forEach((k, j) => (all[k] = grads[j]));
      const replaced = onGrads(all, index, tensors);
      return replaced && wrapped.map((k) => replaced[k]);
    },
  );
  const res = args.slice();
  wrapped.forEach((k, j) => (res[index[k]] = outs[j]));
  return res;
}

function viewWrittenMessage(output: number): string {
  return (
    `Output ${output} of BackwardHookFunctionBackward is a view and is being modified inplace. This view was created ` +
    'inside a custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace ' +
    'would override the custom backward associated with the custom Function, leading to incorrect gradients. This ' +
    'behavior is forbidden. You can fix this by cloning the output of the custom Function.'
  );
}

/** One call's backward hooks, as PyTorch's `torch.utils.hooks.BackwardHook`. */
class BackwardHook {
  private gradOutputs: (Tensor | null)[] | null = null;
  private nInputs = 0;
  private inputsWrapped = false;
  /** The identity views given to `forward`, each with its place among the tensors, and their storage versions. */
  private inputViews: (readonly [Tensor, number])[] = [];
  private versions: number[] = [];

  constructor(
    private readonly module: Module,
    private readonly hooks: FullBackwardHook[],
  ) {}

  setupInputs(args: unknown[]): unknown[] {
    this.nInputs = args.length;
    const wrapped = wrapTensors(args, (grads, index, tensors) => {
      if (this.gradOutputs === null) return undefined; // the gradient reached the inputs without the outputs
      let gradInput: (Tensor | null)[] = new Array<Tensor | null>(this.nInputs).fill(null);
      // Tensors the gradient missed get zeros, as PyTorch's BackwardHookFunction materializes them.
      index.forEach((i, k) => (gradInput[i] = grads[k] ?? zerosLike(tensors[k])));
      for (const hook of this.hooks) {
        const out = hook(this.module, gradInput, this.gradOutputs);
        if (out === undefined || out === null) continue;
        if (!Array.isArray(out)) throw new TypeError(`Backward hook must return an array of gradients or nothing, got ${typeof out}`);
        if (out.length !== gradInput.length) {
          throw new Error(`Backward hook returned an invalid number of grad_input, got ${out.length}, but expected ${gradInput.length}`);
        }
        gradInput = out;
      }
      this.gradOutputs = null;
      return index.map((i) => gradInput[i]);
    });
    this.inputsWrapped = wrapped !== null;
    if (!wrapped) return args;
    const tensors = wrapped.filter((v): v is Tensor => v instanceof Tensor);
    this.inputViews = tensors.map((t, k) => [t, k] as const).filter(([t]) => !args.includes(t));
    this.versions = this.inputViews.map(([t]) => t._storage.version);
    return wrapped;
  }

  setupOutputs(output: unknown): unknown {
    // A write into an input view would give its base a history around the hook's node: PyTorch forbids it.
    const written = this.inputViews.find(([t], j) => t._storage.version !== this.versions[j]);
    if (written) throw new Error(viewWrittenMessage(written[1]));
    const isTuple = Array.isArray(output);
    const args: unknown[] = isTuple ? output : [output];
    const wrapped = wrapTensors(args, (grads, index) => {
      const gradOutputs: (Tensor | null)[] = new Array<Tensor | null>(args.length).fill(null);
      index.forEach((i, k) => (gradOutputs[i] = grads[k]));
      this.gradOutputs = gradOutputs;
      if (this.inputsWrapped) return undefined;
      // No input requires grad: nothing reaches the inputs, so the hooks run here, with gradInput all null.
      const gradInput = new Array<Tensor | null>(this.nInputs).fill(null);
      for (const hook of this.hooks) {
        const res = hook(this.module, gradInput, gradOutputs);
        if (res !== undefined && res !== null && !(Array.isArray(res) && res.every((g) => g === null))) {
          throw new Error(
            'Backward hook for Modules where no input requires gradient should always return None or None for all gradients.',
          );
        }
      }
      this.gradOutputs = null;
      return undefined;
    });
    if (!wrapped) return output;
    return isTuple ? wrapped : wrapped[0];
  }
}
