import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { fold, unfold, type PairArg, type SlidingBlockOptions } from '../functional/fold.js';

type Positional = [dilation: PairArg, padding: PairArg, stride: PairArg];

/** PyTorch's repr of a size as given: `2` or `(2, 3)`. */
const asGiven = (v: PairArg): string => (typeof v === 'number' ? `${v}` : `(${v.join(', ')})`);

/** Sliding blocks of a batch of images as columns, as `nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)`. */
export class Unfold extends Module {
  readonly kernelSize: PairArg;
  readonly dilation: PairArg;
  readonly padding: PairArg;
  readonly stride: PairArg;

  constructor(kernelSize: PairArg, ...args: ArgsThenOptions<Positional, SlidingBlockOptions>);
  constructor(options: SlidingBlockOptions & { kernelSize: PairArg });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<SlidingBlockOptions & { kernelSize: PairArg }>(
      { fn: 'Unfold.__init__', required: ['kernelSize'], positional: ['dilation', 'padding', 'stride'] },
      args,
    );
    this.kernelSize = o.kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  override extraRepr(): string {
    return `kernel_size=${asGiven(this.kernelSize)}, dilation=${asGiven(this.dilation)}, padding=${asGiven(this.padding)}, stride=${asGiven(this.stride)}`;
  }
}

/** Columns summed back into images, as `nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)`. */
export class Fold extends Module {
  readonly outputSize: PairArg;
  readonly kernelSize: PairArg;
  readonly dilation: PairArg;
  readonly padding: PairArg;
  readonly stride: PairArg;

  constructor(outputSize: PairArg, kernelSize: PairArg, ...args: ArgsThenOptions<Positional, SlidingBlockOptions>);
  constructor(options: SlidingBlockOptions & { outputSize: PairArg; kernelSize: PairArg });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<SlidingBlockOptions & { outputSize: PairArg; kernelSize: PairArg }>(
      { fn: 'Fold.__init__', required: ['outputSize', 'kernelSize'], positional: ['dilation', 'padding', 'stride'] },
      args,
    );
    this.outputSize = o.outputSize;
    this.kernelSize = o.kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  override extraRepr(): string {
    return (
      `output_size=${asGiven(this.outputSize)}, kernel_size=${asGiven(this.kernelSize)}, ` +
      `dilation=${asGiven(this.dilation)}, padding=${asGiven(this.padding)}, stride=${asGiven(this.stride)}`
    );
  }
}
