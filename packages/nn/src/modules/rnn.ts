import { isOptionsObject, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { PackedSequence } from '../utils/packed-sequence.js';
import { RNNBase, rnnArgSpec, type RNNBaseOptions, type RNNSizes } from './rnn-base.js';

export type RNNNonlinearity = 'tanh' | 'relu';

export interface RNNOptions extends Omit<RNNBaseOptions, 'projSize'> {
  /** `tanh` or `relu` between steps. Default 'tanh'. */
  nonlinearity?: RNNNonlinearity;
}

export type GRUOptions = Omit<RNNBaseOptions, 'projSize'>;
export type LSTMOptions = RNNBaseOptions;

const RNN_ARGS = rnnArgSpec('RNN', ['nonlinearity']);
const LSTM_ARGS = rnnArgSpec('LSTM');
const GRU_ARGS = rnnArgSpec('GRU');

/** PyTorch raises for `proj_size` given to RNN or GRU by name, even as 0; by position only a projection is refused. */
function refuseProjection(options: RNNBaseOptions, byName: boolean): void {
  if (byName || (options.projSize ?? 0) !== 0) throw new RangeError('proj_size argument is only supported for LSTM, not RNN or GRU');
}

/** Whether `projSize` came in the trailing options object. */
function projSizeByName(args: unknown[]): boolean {
  const last = args[args.length - 1];
  return isOptionsObject(last) && 'projSize' in last;
}

/**
 * A multi-layer Elman RNN, `h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)` (or relu), as `nn.RNN`:
 * `new nn.RNN(10, 20, 2)` or `new nn.RNN(10, 20, { numLayers: 2, nonlinearity: 'relu' })`. `rnn(input, h0?)`
 * returns `[output, hN]`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the call signatures below
export class RNN extends RNNBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, ...args: [RNNOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.RNN({ inputSize: 10, hiddenSize: 20 })`, `new nn.RNN(10, { hiddenSize: 20 })`. */
  constructor(inputSize: number, options: RNNOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: RNNOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & RNNOptions & RNNBaseOptions>(RNN_ARGS, args);
    refuseProjection(options, projSizeByName(args));
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new RangeError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', options.inputSize, options.hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }

  /**
   * `input` `[seq, batch, inputSize]` (`[batch, seq, ...]` when batchFirst, or unbatched `[seq, inputSize]`), or a
   * PackedSequence (then the output is one too); `hx` `[layers * directions, batch, hidden]`.
   */
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const { output, state } = input instanceof PackedSequence ? this.runPacked(input, hx ? [hx] : null) : this.runForward(input, hx ? [hx] : null);
    return [output, state[0]];
  }
}

/** Calls take a tensor or a PackedSequence, as `forward` does (Module's call signature sees only one overload). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RNN {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}

/**
 * A multi-layer long short-term memory RNN, as `nn.LSTM`, with PyTorch's gates i, f, g, o and optional projections
 * (`projSize`). `lstm(input, [h0, c0]?)` returns `[output, [hN, cN]]`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the call signatures below
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ...args: [LSTMOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.LSTM({ inputSize: 10, hiddenSize: 20 })`, `new nn.LSTM(10, { hiddenSize: 20 })`. */
  constructor(inputSize: number, options: LSTMOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: LSTMOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & LSTMOptions>(LSTM_ARGS, args);
    super('LSTM', options.inputSize, options.hiddenSize, options);
  }

  override forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(input: Tensor | PackedSequence, hx: readonly [Tensor, Tensor] | null = null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const { output, state } = input instanceof PackedSequence ? this.runPacked(input, hx) : this.runForward(input, hx);
    return [output, [state[0], state[1]]];
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- as RNN's
export interface LSTM {
  (input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  (input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
}

/**
 * A multi-layer gated recurrent unit RNN, as `nn.GRU`, with PyTorch's gates r, z, n
 * (`n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`). `gru(input, h0?)` returns `[output, hN]`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the call signatures below
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ...args: [GRUOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.GRU({ inputSize: 10, hiddenSize: 20 })`, `new nn.GRU(10, { hiddenSize: 20 })`. */
  constructor(inputSize: number, options: GRUOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: GRUOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & RNNBaseOptions>(GRU_ARGS, args);
    refuseProjection(options, projSizeByName(args));
    super('GRU', options.inputSize, options.hiddenSize, options);
  }

  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const { output, state } = input instanceof PackedSequence ? this.runPacked(input, hx ? [hx] : null) : this.runForward(input, hx ? [hx] : null);
    return [output, state[0]];
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- as RNN's
export interface GRU {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}
