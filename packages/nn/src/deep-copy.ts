import { noGrad, Tensor } from '@descent/tensor';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * A copy of `module` with its own parameters and buffers holding the same values, as Python's
 * `copy.deepcopy(module)` (what PyTorch's `_get_clones` uses to stack identical Transformer layers).
 *
 * The copy is made without running the subclass's constructor, so it draws nothing from the random generator
 * (rebuilding the layer would re-initialize it and shift every later draw). It has the same class and the same
 * attributes in the same order: parameters, buffers and tensors are cloned (a parameter keeps `requiresGrad` and
 * its `.grad` is cloned too), submodules are copied recursively, and anything shared inside `module` (a parameter
 * or submodule reachable twice) is shared the same way inside the copy. Other attributes (numbers, strings,
 * functions such as an activation) are copied by reference, as deepcopy does with immutable values and
 * functions. Hooks registered on `module` are not copied.
 */
export function deepCopyModule<M extends Module>(module: M): M {
  return noGrad(() => copyModule(module, new Map()));
}

function copyModule<M extends Module>(module: M, memo: Map<unknown, unknown>): M {
  const done = memo.get(module);
  if (done) return done as M;
  // Module's constructor makes the callable object with `new.target`'s prototype; the subclass's own is skipped.
  const copy = Reflect.construct(Module, [], module.constructor) as M;
  memo.set(module, copy);
  copy.training = module.training;
  for (const name of Object.getOwnPropertyNames(module)) {
    if (name === 'training' || name === '_bufferSpecs' || module._bufferSpecs.has(name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(module, name);
    if (!descriptor) continue;
    if ('value' in descriptor) descriptor.value = copyValue(descriptor.value, memo);
    Object.defineProperty(copy, name, descriptor);
  }
  // Buffers are accessor slots that keep what is stored in them: register them again on the copy.
  const own = module as unknown as Record<string, Tensor | null>;
  for (const [name, persistent] of module._bufferSpecs) {
    copy.registerBuffer(name, copyValue(own[name], memo) as Tensor | null, { persistent });
  }
  return copy;
}

function copyValue(value: unknown, memo: Map<unknown, unknown>): unknown {
  if (value instanceof Module) return copyModule(value, memo);
  if (!(value instanceof Tensor)) return Array.isArray(value) ? value.map((v) => copyValue(v, memo)) : value;
  const done = memo.get(value);
  if (done) return done;
  let copy: Tensor = value.detach().clone();
  if (value instanceof Parameter) {
    copy = new Parameter(copy, value.requiresGrad);
    if (value.grad) copy.grad = value.grad.detach().clone();
  }
  memo.set(value, copy);
  return copy;
}
