import { addHook, GradHooks, type RemovableHandle, type TensorHook } from '../hooks.js';
import type { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Calls `hook(grad)` each time the gradient with respect to this tensor is computed, as PyTorch's
     * `register_hook`: returning a tensor replaces the gradient, returning nothing keeps it. On a leaf the hooks run
     * before the gradient is accumulated into `.grad`; on a non-leaf, before it flows on through `gradFn`. Hooks
     * run in registration order; `handle.remove()` takes one out. `autograd.grad` runs the hooks of the non-leaf
     * tensors it passes through, not those of the tensors it returns gradients for (PyTorch 1.13).
     */
    registerHook(hook: TensorHook): RemovableHandle;
    /**
     * @internal A hook run after this tensor's hooks and retained gradient, as a post hook of the identity node
     * that made it (module backward hooks).
     */
    _registerPostHook(hook: TensorHook): RemovableHandle;
  }
}

/** The hooks of the node the gradient with respect to `t` arrives at: its gradFn, or a leaf's AccumulateGrad. */
function gradHooks(t: Tensor): GradHooks {
  if (!t.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  const node = t._gradEdge();
  node._hooks ??= new GradHooks();
  return node._hooks;
}

defineMethods({
  registerHook(hook) {
    return gradHooks(this).add(hook, this.retainsGrad);
  },
  _registerPostHook(hook) {
    return addHook(gradHooks(this).post, hook);
  },
});
