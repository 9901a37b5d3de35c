import { empty, Tensor, type DeviceLike, type DType } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Parameter } from '../parameter.js';
import type { LoadContext } from '../state-dict.js';
import type { IntOrTuple } from '../functional/conv-args.js';
import { Conv1d, Conv2d, Conv3d, type ConvModuleOptions } from './conv.js';
import { warnLazyModule } from './lazy-warning.js';

// nn.LazyConv1d/2d/3d (d2l's LeNet, VGG, ResNet: `nn.LazyConv2d(6, kernel_size=5, padding=2)`): a convolution
// whose in_channels is read from its first input. Until then the parameters are empty placeholders (PyTorch's
// UninitializedParameter) and nothing is drawn; the first call sizes them, initializes them as the convolution's
// reset_parameters does (PyTorch's draws), and the module becomes the plain convolution (PyTorch's cls_to_become).

type LazyConvArgs = ConvModuleOptions & { outChannels: number; kernelSize: IntOrTuple };
type AnyConv = Conv1d | Conv2d | Conv3d;
type Writable = { inChannels: number; outChannels: number };

const POSITIONAL = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype'];

function bindLazy(name: string, args: unknown[]): LazyConvArgs {
  return bindArgs<LazyConvArgs>({ fn: `${name}.__init__`, required: ['outChannels', 'kernelSize'], positional: POSITIONAL }, args);
}

/** As PyTorch: the convolution built with 0 channels and no bias (nothing drawn), then the placeholders. */
function placeholders(conv: AnyConv, o: LazyConvArgs): void {
  warnLazyModule();
  (conv as unknown as Writable).outChannels = o.outChannels;
  conv.weight = new Parameter(empty([0], { device: o.device, dtype: o.dtype }));
  conv.bias = o.bias === false ? null : new Parameter(empty([0], { device: o.device, dtype: o.dtype }));
}

/** PyTorch's `_get_in_channels`: the channel dim of a batched or unbatched input. */
function inChannelsOf(conv: AnyConv, name: string, input: Tensor): number {
  const spatial = conv.kernelSize.length;
  if (input.ndim !== spatial + 1 && input.ndim !== spatial + 2) {
    throw new Error(`Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${name}, but got input of size: torch.Size([${input.shape.join(', ')}])`);
  }
  return input.ndim === spatial + 2 ? input.shape[1] : input.shape[0];
}

/** Sizes the weight `[out, in / groups, ...kernel]` and the bias `[out]` on the placeholders' device and dtype. */
function materialize(conv: AnyConv, weightShape: readonly number[], device?: DeviceLike, dtype?: DType): void {
  conv.weight = new Parameter(empty(weightShape, { device, dtype }));
  if (conv.bias) conv.bias = new Parameter(empty([weightShape[0]], { device, dtype }));
}

function initialize(conv: AnyConv, name: string, input: Tensor): void {
  const inChannels = inChannelsOf(conv, name, input);
  if (inChannels % conv.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
  (conv as unknown as Writable).inChannels = inChannels;
  materialize(conv, [conv.outChannels, inChannels / conv.groups, ...conv.kernelSize], conv.weight.device, conv.weight.dtype);
}

/** A checkpoint loaded before the first call sizes the placeholders to its shapes (PyTorch's `_lazy_load_hook`). */
function loadShapes(conv: AnyConv, context: LoadContext, prefix: string): boolean {
  const weight = context.stateDict.get(`${prefix}weight`);
  if (!(weight instanceof Tensor)) return false;
  materialize(conv, weight.shape, conv.weight.device, conv.weight.dtype);
  return true;
}

/** What the lazy forms add (PyTorch's LazyModuleMixin), declared so the classes' types name no anonymous class. */
interface LazyMembers {
  hasUninitializedParams(): boolean;
  initializeParameters(input: Tensor): void;
}

/**
 * The lazy form of a convolution class: built with 0 channels, it sizes and draws its parameters on the first call
 * and then becomes `Base` itself.
 */
function lazyConv(Base: typeof Conv1d | typeof Conv2d | typeof Conv3d, name: string): new (...args: unknown[]) => Conv2d & LazyMembers {
  // The three classes differ only in their constructors' defaults: one instance type serves them all.
  const Plain = Base as unknown as new (options: LazyConvArgs & { inChannels: number }) => Conv2d;
  return class extends Plain {
    /** @internal The parameters are still placeholders. */
    _uninitialized = true;
    constructor(...args: unknown[]) {
      const o = bindLazy(name, args);
      super({ ...o, inChannels: 0, outChannels: 0, bias: false });
      placeholders(this, o);
    }
    /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
    hasUninitializedParams(): boolean {
      return this._uninitialized;
    }
    override resetParameters(): void {
      if (this._uninitialized === false) super.resetParameters(); // nothing to draw while the placeholders wait
    }
    initializeParameters(input: Tensor): void {
      if (!this._uninitialized) return;
      initialize(this, name, input);
      this._uninitialized = false;
      this.resetParameters();
    }
    override forward(input: Tensor): Tensor {
      this.initializeParameters(input);
      Object.setPrototypeOf(this, Base.prototype);
      return (Base.prototype.forward as (x: Tensor) => Tensor).call(this, input);
    }
    override _loadFromStateDict(context: LoadContext, prefix: string): void {
      if (this._uninitialized && loadShapes(this, context, prefix)) this._uninitialized = false;
      super._loadFromStateDict(context, prefix);
    }
  };
}

/** `nn.LazyConv1d(out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class LazyConv1d extends lazyConv(Conv1d, 'LazyConv1d') {
  constructor(outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  constructor(outChannels: number, options: ConvModuleOptions & { kernelSize: IntOrTuple });
  constructor(options: LazyConvArgs);
  constructor(...args: unknown[]) {
    super(...args);
  }
}

/** `nn.LazyConv2d(out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class LazyConv2d extends lazyConv(Conv2d, 'LazyConv2d') {
  constructor(outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  constructor(outChannels: number, options: ConvModuleOptions & { kernelSize: IntOrTuple });
  constructor(options: LazyConvArgs);
  constructor(...args: unknown[]) {
    super(...args);
  }
}

/** `nn.LazyConv3d(out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class LazyConv3d extends lazyConv(Conv3d, 'LazyConv3d') {
  constructor(outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  constructor(outChannels: number, options: ConvModuleOptions & { kernelSize: IntOrTuple });
  constructor(options: LazyConvArgs);
  constructor(...args: unknown[]) {
    super(...args);
  }
}
