import { applyCustomFunction, Tensor, type Device, type DType } from '@descent/tensor';
import { FunctionCtx, typeName } from './function-ctx.js';

export { FunctionCtx } from './function-ctx.js';

/**
 * The static side of a Function subclass, what `apply` calls: `forward`, and `backward` unless the Function is only
 * ever run forward. (The base class declares neither, so a subclass needs no `override`.)
 */
export interface FunctionClass {
  readonly name: string;
  forward(ctx: FunctionCtx, ...args: unknown[]): unknown;
  backward?(ctx: FunctionCtx, ...gradOutputs: (Tensor | null)[]): unknown;
}

/** The arguments a Function's forward takes after ctx. */
type ForwardArgs<F> = F extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;

/** What the checks of backward's results need to know of a tensor argument of forward. */
interface ArgMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  readonly requiresGrad: boolean;
}

/**
 * `torch.autograd.Function`: an op with a hand-written gradient. Subclass it with a static `forward(ctx, ...args)`
 * (runs with grad mode off; returns a tensor or an array of tensors) and a static `backward(ctx, ...gradOutputs)`
 * (one gradient per output in, one gradient or null per argument of forward out), then call `MyFunction.apply(...)` (example at `apply`).
 *
 * Written with tensor ops, backward is differentiable too: double backward works under `createGraph`.
 */
export class AutogradFunction {
  /**
   * Subclasses are never instantiated, as in PyTorch: define static `forward` and `backward` and call `Cube.apply(x)`.
   */
  constructor() {}

  /**
   * Runs forward on `args` and records the Function in the graph, as PyTorch's `Function.apply`. Call it on the
   * class (`Cube.apply(x)`); to give it a short name, wrap it: `const P3 = (x: Tensor) => LegendrePolynomial3.apply(x)`.
   *
   * ```ts
   * class Cube extends torch.autograd.Function {
   *   static forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) { ctx.saveForBackward(x); return x.pow(3); }
   *   static backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor) { const [x] = ctx.savedTensors; return g.mul(x.pow(2).mul(3)); }
   * }
   * const y = Cube.apply(x); // y.gradFn: <CubeBackward>
   * ```
   */
  static apply<F extends FunctionClass>(this: F, ...args: ForwardArgs<F>): ReturnType<F['forward']> {
    if (typeof (this as unknown) !== 'function') {
      throw new TypeError(
        'Function.apply must be called on its class, as Cube.apply(x). To use it under another name, wrap it: ' +
          'const cube = (x) => Cube.apply(x).',
      );
    }
    return applyFunction(this, args) as ReturnType<F['forward']>;
  }
}

function applyFunction(cls: FunctionClass, args: readonly unknown[]): unknown {
  if (typeof cls.forward !== 'function') {
    throw new Error('You must implement the forward function for custom autograd.Function.');
  }
  const name = `${cls.name}Backward`;
  const ctx = new FunctionCtx(args.map((a) => a instanceof Tensor && a.requiresGrad));
  // Metadata only: the node must not keep the arguments alive.
  const metas = args.map((a): ArgMeta | null =>
    a instanceof Tensor ? { shape: a.shape, dtype: a.dtype, device: a.device, requiresGrad: a.requiresGrad } : null,
  );
  return applyCustomFunction(
    {
      name,
      forward: (forwardArgs) => cls.forward(ctx, ...forwardArgs),
      dirty: () => ctx._dirty(),
      nonDifferentiable: () => ctx._nonDifferentiable(),
      backward: (gradOutputs) => checkGradients(name, metas, callBackward(cls, ctx, gradOutputs)),
      recorded: (outputs) => ctx._recorded(name, outputs),
      release: () => ctx._release(),
    },
    args,
  );
}

function callBackward(cls: FunctionClass, ctx: FunctionCtx, gradOutputs: (Tensor | null)[]): unknown {
  if (typeof cls.backward !== 'function') {
    throw new Error(
      'You must implement either the backward or vjp method for your custom autograd.Function to use it with ' +
        'backward mode AD.',
    );
  }
  return cls.backward(ctx, ...gradOutputs);
}

/**
 * What backward returned, checked as PyTorch checks it, as one gradient (or null) per tensor argument of forward:
 * one entry per argument (extra trailing nulls are dropped), null for non-tensor arguments, tensors of a shape the
 * input broadcasts to (the engine sums them back), on the input's device, in its dtype.
 */
function checkGradients(name: string, metas: readonly (ArgMeta | null)[], result: unknown): (Tensor | null)[] {
  const grads: unknown[] = Array.isArray(result) ? result.slice() : [result];
  const expected = metas.length;
  if (grads.length > expected && grads.slice(expected).every((g) => g === null || g === undefined)) grads.length = expected;
  if (grads.length !== expected) {
    throw new Error(`function ${name} returned an incorrect number of gradients (expected ${expected}, got ${grads.length})`);
  }
  const out: (Tensor | null)[] = [];
  grads.forEach((g, i) => {
    const meta = metas[i];
    const none = g === null || g === undefined;
    if (meta === null) {
      if (!none) {
        throw new Error(
          `function ${name} returned a gradient different than null at position ${i + 1}, but the corresponding ` +
            'forward input was not a Tensor',
        );
      }
      return;
    }
    if (none) {
      out.push(null);
      return;
    }
    if (!(g instanceof Tensor)) throw new TypeError(`expected Tensor or null (got ${typeName(g)})`);
    // An input that needs no gradient: whatever came back is dropped unchecked, as PyTorch does.
    out.push(meta.requiresGrad ? checkGradient(name, out.length, meta, g) : null);
  });
  return out;
}

/** PyTorch's `validate_outputs` for one gradient: shape the input broadcasts to, same device, same dtype. */
function checkGradient(name: string, index: number, meta: ArgMeta, g: Tensor): Tensor {
  if (!expandableTo(meta.shape, g.shape)) {
    throw new Error(
      `Function ${name} returned an invalid gradient at index ${index} - got [${g.shape.join(', ')}] but expected ` +
        `shape compatible with [${meta.shape.join(', ')}]`,
    );
  }
  let grad = g;
  if (grad.dtype !== meta.dtype) grad = grad.to(meta.dtype);
  if (grad.device !== meta.device) {
    if (grad.ndim !== 0) {
      throw new Error(
        `Function ${name} returned an invalid device for gradient at index ${index} - expected device ` +
          `${meta.device} but got ${grad.device}`,
      );
    }
    grad = grad.to(meta.device);
  }
  return grad;
}

/** Whether `shape` broadcasts to `target` (the gradient may be a broadcast of the input's shape). */
function expandableTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const lead = target.length - shape.length;
  return shape.every((size, i) => size === target[lead + i] || size === 1);
}
