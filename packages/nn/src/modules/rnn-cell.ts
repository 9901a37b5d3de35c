import { empty, zeros, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { uniform_ } from '../init.js';
import { bindArgs, type ArgSpec } from '../call-args.js';
import { cellStep, inputGates, GATE_CHUNKS, type RecurrentMode } from '../functional/rnn-cells.js';
import { pyBool } from '../python-repr.js';
import type { RNNSizes } from './rnn-base.js';

/** The keyword arguments of `nn.LSTMCell` and `nn.GRUCell`, camelCased. */
export interface RNNCellBaseOptions {
  /** Learn the biases `bias_ih` and `bias_hh`. Default true. */
  bias?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

export interface RNNCellOptions extends RNNCellBaseOptions {
  /** `tanh` or `relu`. Default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

const cellArgs = (fn: string, positional: string[]): ArgSpec => ({ fn, required: ['inputSize', 'hiddenSize'], positional });
const RNN_CELL_ARGS = cellArgs('RNNCell', ['bias', 'nonlinearity', 'device', 'dtype']);
const LSTM_CELL_ARGS = cellArgs('LSTMCell', ['bias', 'device', 'dtype']);
const GRU_CELL_ARGS = cellArgs('GRUCell', ['bias', 'device', 'dtype']);

/**
 * What the cells share, as PyTorch's `RNNCellBase`: parameters `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`
 * (PyTorch's state-dict names; read them as `weightIh`, ...), their initialization, the checks and the printing.
 */
abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Whether the cell has biases (a flag, as PyTorch's `bias` attribute). */
  readonly bias: boolean;

  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions, numChunks: number) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = options.bias ?? true;
    const create = (shape: number[]) => new Parameter(empty(shape, { device: options.device, dtype: options.dtype }));
    this.registerParameter('weight_ih', create([numChunks * hiddenSize, inputSize]));
    this.registerParameter('weight_hh', create([numChunks * hiddenSize, hiddenSize]));
    this.registerParameter('bias_ih', this.bias ? create([numChunks * hiddenSize]) : null);
    this.registerParameter('bias_hh', this.bias ? create([numChunks * hiddenSize]) : null);
    this.resetParameters();
  }

  /** `[chunks * hidden, input]`: the input's weights, gate blocks stacked in PyTorch's order. */
  get weightIh(): Parameter {
    return this.getParameter('weight_ih');
  }

  /** `[chunks * hidden, hidden]`: the hidden state's weights. */
  get weightHh(): Parameter {
    return this.getParameter('weight_hh');
  }

  get biasIh(): Parameter | null {
    return this.bias ? this.getParameter('bias_ih') : null;
  }

  get biasHh(): Parameter | null {
    return this.bias ? this.getParameter('bias_hh') : null;
  }

  /** PyTorch's `reset_parameters`: every parameter, in order, from U(-1/sqrt(hidden), 1/sqrt(hidden)). */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const weight of this.parameters()) uniform_(weight, -stdv, stdv);
  }

  /**
   * One step of `mode` with PyTorch's handling: an unbatched input (`[input]`) and states (`[hidden]`) run as a
   * batch of one, missing states start at zero, ATen's checks and messages. Returns the new state(s).
   */
  protected step(mode: RecurrentMode, input: Tensor, hx: readonly Tensor[] | null, stateCount: number, check?: () => void): Tensor[] {
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new RangeError(`${this._getName()}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    }
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const zero = () => zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype, device: x.device });
    const states = hx ? hx.map((h) => (batched ? h : h.unsqueeze(0))) : Array.from({ length: stateCount }, zero);
    check?.();
    const weights = { weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh, weightHr: null };
    checkCellShapes(x, states, weights.weightIh.shape[1], weights.weightHh.shape[1]);
    const next = cellStep(mode, inputGates(x, weights), states, weights);
    return batched ? next : next.map((s) => s.squeeze(0));
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : `, bias=${pyBool(this.bias)}`}`;
  }
}

/** ATen's `check_rnn_cell_forward_input` and `_hidden` (every state is labelled `hidden0`, as in PyTorch 1.13). */
function checkCellShapes(input: Tensor, states: readonly Tensor[], inputSize: number, hiddenSize: number): void {
  if (input.shape[1] !== inputSize) throw new RangeError(`input has inconsistent input_size: got ${input.shape[1]} expected ${inputSize}`);
  for (const h of states) {
    if (input.shape[0] !== h.shape[0]) {
      throw new RangeError(`Input batch size ${input.shape[0]} doesn't match hidden0 batch size ${h.shape[0]}`);
    }
    if (h.shape[1] !== hiddenSize) throw new RangeError(`hidden0 has inconsistent hidden_size: got ${h.shape[1]}, expected ${hiddenSize}`);
  }
}

/** An Elman RNN cell, `h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)` (or relu), as `nn.RNNCell`; `cell(input, hx?)` returns h'. */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: string;

  constructor(inputSize: number, hiddenSize: number, ...args: [RNNCellOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.RNNCell({ inputSize: 10, hiddenSize: 20 })`. */
  constructor(inputSize: number, options: RNNCellOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: RNNCellOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & RNNCellOptions>(RNN_CELL_ARGS, args);
    super(options.inputSize, options.hiddenSize, options, 1);
    // As PyTorch, an unknown nonlinearity is only refused when the cell runs.
    this.nonlinearity = options.nonlinearity ?? 'tanh';
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const mode = this.nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU';
    const check = () => {
      if (this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity: ${this.nonlinearity}`);
    };
    return this.step(mode, input, hx ? [hx] : null, 1, check)[0];
  }

  override extraRepr(): string {
    return `${super.extraRepr()}${this.nonlinearity !== 'tanh' ? `, nonlinearity=${this.nonlinearity}` : ''}`;
  }
}

/** A long short-term memory cell with PyTorch's gates i, f, g, o, as `nn.LSTMCell`; `cell(input, [hx, cx]?)` returns `[h', c']`. */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...args: [RNNCellBaseOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.LSTMCell({ inputSize: 10, hiddenSize: 20 })`. */
  constructor(inputSize: number, options: RNNCellBaseOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: RNNCellBaseOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & RNNCellBaseOptions>(LSTM_CELL_ARGS, args);
    super(options.inputSize, options.hiddenSize, options, GATE_CHUNKS.LSTM);
  }

  override forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [h, c] = this.step('LSTM', input, hx, 2);
    return [h, c];
  }
}

/** A gated recurrent unit cell with PyTorch's gates r, z, n, as `nn.GRUCell`; `cell(input, hx?)` returns h'. */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...args: [RNNCellBaseOptions?] | unknown[]);
  /** The sizes by keyword too: `new nn.GRUCell({ inputSize: 10, hiddenSize: 20 })`. */
  constructor(inputSize: number, options: RNNCellBaseOptions & Pick<RNNSizes, 'hiddenSize'>);
  constructor(options: RNNCellBaseOptions & RNNSizes);
  constructor(...args: unknown[]) {
    const options = bindArgs<RNNSizes & RNNCellBaseOptions>(GRU_CELL_ARGS, args);
    super(options.inputSize, options.hiddenSize, options, GATE_CHUNKS.GRU);
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step('GRU', input, hx ? [hx] : null, 1)[0];
  }
}
