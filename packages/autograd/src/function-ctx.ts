import { Tensor } from '@descent/tensor';

/** A tensor saved for backward, with the storage version it had when forward returned. */
interface Saved {
  readonly tensor: Tensor;
  readonly version: number;
  /** Its position among the Function's outputs, or -1 when it is not one. */
  readonly output: number;
}

/** Values, not types: what `typeof` says of a value that should have been a tensor. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The `ctx` a `torch.autograd.Function`'s forward and backward share: what forward saves for backward
 * (`saveForBackward`, `savedTensors`), which arguments need a gradient (`needsInputGrad`), and the marks forward puts
 * on its outputs (`markDirty`, `markNonDifferentiable`). Anything else forward wants backward to see can be stored on
 * it as on PyTorch's ctx (`ctx.constant = 3`); such attributes are typed loosely.
 */
export class FunctionCtx {
  // Attributes a user stores on ctx for backward, as in PyTorch (`ctx.constant = 3`, read back as `ctx.constant`).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ctx holds whatever forward stores, untyped as in PyTorch
  [attribute: string]: any;

  /** One boolean per argument of forward: whether it is a tensor that requires grad (PyTorch's `needs_input_grad`). */
  readonly needsInputGrad: readonly boolean[];
  #toSave: readonly (Tensor | null)[] = [];
  /** Set when forward has returned and the Function was recorded in the graph; null while forward runs. */
  #saved: readonly (Saved | null)[] | null = null;
  #released = false;
  #name = '';
  #dirty: ReadonlySet<Tensor> = new Set();
  #nonDifferentiable: ReadonlySet<Tensor> = new Set();

  constructor(needsInputGrad: readonly boolean[] = []) {
    this.needsInputGrad = needsInputGrad;
  }

  /**
   * Saves tensors for backward (call it once, in forward; a second call replaces the first). Saving inputs and
   * outputs is what double backward needs. A `null` or `undefined` entry is kept as `null`.
   */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new TypeError(`saveForBackward can only save tensors, but argument ${i} is of type ${typeName(t)}`);
      }
    });
    this.#toSave = tensors.map((t) => t ?? null);
  }

  /**
   * The tensors forward saved, in order. Throws PyTorch's error when one was modified in place since forward
   * returned, or when a backward pass without `retainGraph` has freed them. An entry saved as `null` reads back as
   * `null` (typed `Tensor`, for the common case: test it where you saved one).
   */
  get savedTensors(): Tensor[] {
    const saved = this.#saved;
    if (saved === null) return this.#toSave.slice() as Tensor[];
    if (this.#released) {
      throw new Error(
        'Trying to backward through the graph a second time (or directly access saved tensors after they have ' +
          'already been freed). Saved intermediate values of the graph are freed when you call .backward() or ' +
          'autograd.grad(). Specify retainGraph: true if you need to backward through the graph a second time or ' +
          'if you need to access saved tensors after calling backward.',
      );
    }
    return saved.map((s) => (s === null ? null : this.#unpack(s))) as Tensor[];
  }

  /** Marks inputs that forward modified in place (and returns): their history becomes this Function's node. */
  markDirty(...tensors: Tensor[]): void {
    this.#dirty = new Set(tensors);
  }

  /** Marks outputs that have no gradient: they do not require grad, and backward gets zeros for them. */
  markNonDifferentiable(...tensors: Tensor[]): void {
    this.#nonDifferentiable = new Set(tensors);
  }

  /** @internal The tensors forward marked dirty. */
  _dirty(): ReadonlySet<Tensor> {
    return this.#dirty;
  }

  /** @internal The tensors forward marked non-differentiable. */
  _nonDifferentiable(): ReadonlySet<Tensor> {
    return this.#nonDifferentiable;
  }

  /** @internal Forward returned and the Function is in the graph: the saved tensors' versions are taken now. */
  _recorded(name: string, outputs: readonly unknown[]): void {
    this.#name = name;
    this.#saved = this.#toSave.map((tensor) =>
      tensor === null ? null : { tensor, version: tensor._storage.version, output: outputs.indexOf(tensor) },
    );
    this.#toSave = [];
    // Read by now: holding them would keep outputs alive through the node.
    this.#dirty = new Set();
    this.#nonDifferentiable = new Set();
  }

  /** @internal A backward pass freed the node's saved values. */
  _release(): void {
    this.#released = true;
    this.#saved = [];
  }

  #unpack({ tensor, version, output }: Saved): Tensor {
    const current = tensor._storage.version;
    if (current === version) return tensor;
    // PyTorch names the node of an output by this Function, and an input by its grad_fn now (none for a leaf).
    const gradFn = tensor.gradFn;
    const which =
      output >= 0 ? `, which is output ${output} of ${this.#name},` : gradFn ? `, which is output 0 of ${gradFn.name()},` : '';
    throw new Error(
      'one of the variables needed for gradient computation has been modified by an inplace operation: ' +
        `[${tensor.type()} [${tensor.shape.join(', ')}]]${which} is at version ${current}; ` +
        `expected version ${version} instead.`,
    );
  }
}
