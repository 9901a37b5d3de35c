import { keep, noGrad, Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { ModuleList } from '../modules/module-list.js';
import { moveTensorData } from '../move-tensor-data.js';
import { Parameter } from '../parameter.js';
import { pySize, pyTypeName } from '../python-repr.js';

/**
 * `torch.nn.utils.parametrize.ParametrizationList`: the parametrizations of one tensor, in order, holding the
 * unconstrained tensor as `original` (or `original0`, `original1`, ... when the first `rightInverse` returns
 * several); calling it chains them on the originals.
 */

/** A parametrization module that may say how to go back from a value to its originals (`right_inverse`). */
interface Invertible {
  rightInverse?: (value: Tensor) => Tensor | readonly Tensor[];
}

const attributes = (module: Module): Record<string, unknown> => module as unknown as Record<string, unknown>;

/** `torch.float32`, as PyTorch prints a dtype. */
export const pyDType = (t: Tensor): string => `torch.${t.dtype}`;

/** A `rightInverse` that throws `NotImplementedError` (an error so named) is skipped at registration, as PyTorch's. */
export function isNotImplemented(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotImplementedError' || error.constructor.name === 'NotImplementedError');
}

/**
 * PyTorch's `tensor.set_(source)`: `target` (the same object, so a Parameter an optimizer holds stays valid) takes
 * `source`'s storage, shape and strides.
 */
export function setTensor_(target: Tensor, source: Tensor): void {
  if (source.dtype !== target.dtype) throw new Error(`Could not set tensor of type ${source.dtype} to a tensor of type ${target.dtype}`);
  if (source.shape.join() === target.shape.join()) {
    moveTensorData(target, source);
  } else {
    // A new shape: the leaf's cached gradient node records the old one.
    Object.assign(target as unknown as { _storage: Tensor['_storage']; _accumulateNode: unknown }, { _storage: source._storage, _accumulateNode: null });
    target._restride(source.shape, source._strides, source._offset);
  }
  keep(target);
}

/** `_register_parameter_or_buffer`: a Parameter becomes a parameter, any other tensor a buffer. */
export function registerParameterOrBuffer(module: Module, name: string, value: Tensor): void {
  if (value instanceof Parameter) module.registerParameter(name, value);
  else module.registerBuffer(name, value);
}

function rightInverseOf(module: Module): ((value: Tensor) => Tensor | readonly Tensor[]) | undefined {
  const inverse = (module as Module & Invertible).rightInverse;
  return typeof inverse === 'function' ? inverse.bind(module) : undefined;
}

export class ParametrizationList extends ModuleList {
  /** Whether the shape and dtype checks were skipped at registration (PyTorch's `unsafe`). */
  declare unsafe: boolean;
  /** Whether the first parametrization takes one original (`original`) rather than several (`original0`, ...). */
  declare isTensor: boolean;
  /** How many originals there are. */
  declare ntensors: number;
  /** The unconstrained tensor, when `isTensor`. */
  declare original: Tensor;

  constructor(modules: readonly Module[], original: Tensor, unsafe = false) {
    if (modules.length === 0) throw new Error('ParametrizationList requires one or more modules.');
    super(modules);
    for (const [name, value] of [['unsafe', unsafe], ['isTensor', true], ['ntensors', 1]] as const) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: false, configurable: true });
    }
    const originalShape = original.shape;
    const originalDType = original.dtype;
    let value: Tensor | readonly Tensor[] = original;
    noGrad(() => {
      for (const module of [...this].reverse()) {
        const inverse = rightInverseOf(module);
        if (!inverse) continue;
        try {
          value = inverse(value as Tensor);
        } catch (error) {
          if (!isNotImplemented(error)) throw error;
        }
      }
    });
    const result = value as unknown;
    if (!(result instanceof Tensor) && !Array.isArray(result)) {
      throw new Error(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got ${pyTypeName(result)}`);
    }
    this.isTensor = result instanceof Tensor;
    this.ntensors = result instanceof Tensor ? 1 : (result as Tensor[]).length;
    if (result instanceof Tensor) {
      if (original.dtype !== result.dtype) {
        throw new Error(
          `When \`right_inverse\` outputs one tensor, it may not change the dtype.\noriginal.dtype: ${pyDType(original)}\n` +
            `right_inverse(original).dtype: ${pyDType(result)}`,
        );
      }
      noGrad(() => setTensor_(original, result));
      registerParameterOrBuffer(this, 'original', original);
    } else {
      (result as unknown[]).forEach((item, i) => {
        if (!(item instanceof Tensor)) {
          throw new Error(
            `'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got element ${i} of the sequence with type ${pyTypeName(item)}.`,
          );
        }
        const originalI = original instanceof Parameter ? new Parameter(item) : item;
        originalI.requiresGrad_(original.requiresGrad);
        registerParameterOrBuffer(this, `original${i}`, originalI);
      });
    }
    if (!this.unsafe) {
      const z = (this as unknown as () => unknown)();
      if (!(z instanceof Tensor)) throw new Error(`A parametrization must return a tensor. Got ${pyTypeName(z)}.`);
      if (z.dtype !== originalDType) {
        throw new Error(
          'Registering a parametrization may not change the dtype of the tensor, unless `unsafe` flag is enabled.\n' +
            `unparametrized dtype: torch.${originalDType}\nparametrized dtype: ${pyDType(z)}`,
        );
      }
      if (z.shape.join() !== originalShape.join()) {
        throw new Error(
          'Registering a parametrization may not change the shape of the tensor, unless `unsafe` flag is enabled.\n' +
            `unparametrized shape: ${pySize(originalShape)}\nparametrized shape: ${pySize(z.shape)}`,
        );
      }
    }
  }

  /** The originals, in order. */
  originals(): Tensor[] {
    if (this.isTensor) return [this.original];
    return Array.from({ length: this.ntensors }, (_, i) => attributes(this)[`original${i}`] as Tensor);
  }

  /** Sets the originals so that the chain gives `value` (each `rightInverse`, last first), as assigning the tensor. */
  rightInverse(value: Tensor): void {
    noGrad(() => {
      let result: unknown = value;
      for (const module of [...this].reverse()) {
        const inverse = rightInverseOf(module);
        if (!inverse) throw new Error(`parametrization ${module._getName()} does not implement right_inverse.`);
        result = inverse(result as Tensor);
      }
      if (this.isTensor) {
        if (!(result instanceof Tensor)) throw new Error(`\`right_inverse\` should return a tensor. Got ${pyTypeName(result)}`);
        if (result.dtype !== this.original.dtype) {
          throw new Error(`The tensor returned by \`right_inverse\` has dtype ${pyDType(result)} while \`original\` has dtype ${pyDType(this.original)}`);
        }
        setTensor_(this.original, result);
        return;
      }
      if (!Array.isArray(result)) throw new Error(`'right_inverse' must return a sequence of tensors. Got ${pyTypeName(result)}.`);
      if (result.length !== this.ntensors) {
        throw new Error(`'right_inverse' must return a sequence of tensors of length ${this.ntensors}. Got a sequence of lenght ${result.length}.`);
      }
      const originals = this.originals();
      (result as unknown[]).forEach((tensor, i) => {
        if (!(tensor instanceof Tensor)) {
          throw new Error(`\`right_inverse\` must return a sequence of tensors. Got element ${i} of type ${pyTypeName(tensor)}`);
        }
        if (originals[i].dtype !== tensor.dtype) {
          throw new Error(`Tensor ${i} returned by \`right_inverse\` has dtype ${pyDType(tensor)} while \`original${i}\` has dtype ${pyDType(originals[i])}`);
        }
        setTensor_(originals[i], tensor);
      });
    });
  }

  /** The first parametrization on the originals, then each next one on the result. */
  override forward(): Tensor {
    const modules = [...this] as unknown as ((...inputs: Tensor[]) => Tensor)[];
    let x = modules[0](...this.originals());
    for (const module of modules.slice(1)) x = module(x);
    return x;
  }
}
