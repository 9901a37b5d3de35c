import { empty, zeros, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { uniform_ } from '../init.js';
import { GATE_CHUNKS, type CellWeights, type RecurrentMode } from '../functional/rnn-cells.js';
import { runRecurrentStack, type RecurrentStackOptions } from '../functional/rnn-sequence.js';
import { runPackedStack } from '../functional/rnn-packed.js';
import { PackedSequence } from '../utils/packed-sequence.js';
import type { ArgSpec } from '../call-args.js';
import { pyBool, pyFloat, pyTuple } from '../python-repr.js';

// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };

/** The keyword arguments of `nn.RNN`, `nn.LSTM` and `nn.GRU`, camelCased. */
export interface RNNBaseOptions {
  /** Recurrent layers stacked on each other. Default 1. */
  numLayers?: number;
  /** Learn the biases `b_ih` and `b_hh`. Default true. */
  bias?: boolean;
  /** Input and output are `[batch, seq, feature]` instead of `[seq, batch, feature]` (states are not). Default false. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode. Default 0. */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate both outputs. Default false. */
  bidirectional?: boolean;
  /** LSTM only: project each hidden state to this size (0: no projection). Default 0. */
  projSize?: number;
  device?: DeviceLike;
  dtype?: DType;
}

/** The required arguments of `nn.RNN`, `nn.LSTM`, `nn.GRU` and the cells, which PyTorch also takes by keyword. */
export interface RNNSizes {
  inputSize: number;
  hiddenSize: number;
}

/** PyTorch's `RNNBase(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype)`. */
export function rnnArgSpec(fn: string, keywordOnly: readonly string[] = []): ArgSpec {
  return {
    fn,
    required: ['inputSize', 'hiddenSize'],
    positional: ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize', 'device', 'dtype'],
    keywordOnly,
  };
}

const DROPOUT_ERROR = 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed';

/**
 * What RNN, LSTM and GRU share, as PyTorch's `RNNBase`: the checks, the parameters `weight_ih_l{k}`,
 * `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}` (and `weight_hr_l{k}` with projections; `_reverse` for the
 * backward direction) in PyTorch's order, their initialization, the forward's shape handling and the printing.
 */
export abstract class RNNBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  /** Whether the layers have biases (a flag, as PyTorch's `bias` attribute; the tensors are `bias_ih_l0`, ...). */
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  /** The parameters by PyTorch's names, read as in PyTorch: `lstm.weight_ih_l0`, `gru.bias_hh_l1_reverse`. */
  readonly [name: `weight_${string}` | `bias_${string}`]: Parameter;
  /** The parameter names of each layer and direction, as PyTorch's `_all_weights`. */
  readonly allWeightNames: readonly (readonly string[])[];

  constructor(mode: RecurrentMode, inputSize: number, hiddenSize: number, options: RNNBaseOptions) {
    super();
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    const dropout = options.dropout ?? 0;
    this.bidirectional = options.bidirectional ?? false;
    this.projSize = options.projSize ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) throw new RangeError(DROPOUT_ERROR);
    this.dropout = dropout;
    if (dropout > 0 && this.numLayers === 1) {
      console.warn(
        'UserWarning: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects ' +
          `num_layers greater than 1, but got dropout=${dropout} and num_layers=${this.numLayers}`,
      );
    }
    for (const [name, value] of [['input_size', inputSize], ['hidden_size', hiddenSize], ['num_layers', this.numLayers]] as const) {
      if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, but got ${value}`);
    }
    if (this.projSize < 0) throw new RangeError('proj_size should be a positive integer or zero to disable projections');
    if (this.projSize >= hiddenSize) throw new RangeError('proj_size has to be smaller than hidden_size');
    this.allWeightNames = this.createParameters(options.device, options.dtype);
    this.resetParameters();
  }

  /** Registers each layer's and direction's parameters in PyTorch's order, so `stateDict()` keys match. */
  private createParameters(device: DeviceLike | undefined, dtype: DType | undefined): string[][] {
    const gateSize = GATE_CHUNKS[this.mode] * this.hiddenSize;
    const outSize = this.projSize > 0 ? this.projSize : this.hiddenSize;
    const directions = this.bidirectional ? 2 : 1;
    const create = (shape: number[]) => new Parameter(empty(shape, { device, dtype }));
    const all: string[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layerInputSize = layer === 0 ? this.inputSize : outSize * directions;
        const suffix = `l${layer}${direction === 1 ? '_reverse' : ''}`;
        const params: [string, number[]][] = [
          [`weight_ih_${suffix}`, [gateSize, layerInputSize]],
          [`weight_hh_${suffix}`, [gateSize, outSize]],
        ];
        if (this.bias) params.push([`bias_ih_${suffix}`, [gateSize]], [`bias_hh_${suffix}`, [gateSize]]);
        if (this.projSize > 0) params.push([`weight_hr_${suffix}`, [this.projSize, this.hiddenSize]]);
        for (const [name, shape] of params) this.registerParameter(name, create(shape));
        all.push(params.map(([name]) => name));
      }
    }
    return all;
  }

  /** PyTorch's `reset_parameters`: every parameter, in order, from U(-1/sqrt(hidden), 1/sqrt(hidden)). */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const weight of this.parameters()) uniform_(weight, -stdv, stdv);
  }

  /** Every parameter name in order, as PyTorch's `_flat_weights_names` (d2l's init loops read it). */
  get _flatWeightsNames(): string[] {
    return this.allWeightNames.flat();
  }

  /** The parameters of each layer and direction, as PyTorch's `all_weights`. */
  get allWeights(): Parameter[][] {
    return this.allWeightNames.map((names) => names.map((name) => this.getParameter(name)));
  }

  /** The tensors one layer and direction computes with, read at each call so a replaced parameter is used. */
  private cellWeights(): CellWeights[] {
    const own = this as unknown as Record<string, Parameter | null | undefined>;
    return this.allWeightNames.map((names) => {
      const suffix = names[0].slice('weight_ih_'.length);
      return {
        weightIh: own[`weight_ih_${suffix}`] as Parameter,
        weightHh: own[`weight_hh_${suffix}`] as Parameter,
        biasIh: own[`bias_ih_${suffix}`] ?? null,
        biasHh: own[`bias_hh_${suffix}`] ?? null,
        weightHr: own[`weight_hr_${suffix}`] ?? null,
      };
    });
  }

  /** The states' sizes `forward` expects: `(layers * directions, batch, hidden)` ([h] or [h, c] for the LSTM). */
  private expectedStateSizes(batch: number): number[][] {
    const layers = this.numLayers * (this.bidirectional ? 2 : 1);
    const sizes = [[layers, batch, this.projSize > 0 ? this.projSize : this.hiddenSize]];
    if (this.mode === 'LSTM') sizes.push([layers, batch, this.hiddenSize]);
    return sizes;
  }

  /**
   * The forward of all three, as PyTorch's: an unbatched input (`[seq, feature]`) and its states (`[layers,
   * hidden]`) run as a batch of one; missing states start at zero; PyTorch's checks and messages. `hx` is `[h0]`
   * or `[h0, c0]`; returns the output and the final states in the input's layout.
   */
  protected runForward(input: Tensor, hx: readonly Tensor[] | null): { output: Tensor; state: Tensor[] } {
    const batched = input.ndim === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    let x = batched ? input : input.unsqueeze(batchDim);
    const given = hx ? this.checkStateDims(hx, batched) : null;
    if (x.ndim !== 3) throw new RangeError(`input must have 3 dimensions, got ${x.ndim}`);
    if (x.shape[2] !== this.inputSize) {
      throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.shape[2]}`);
    }
    const states = this.checkedStates(given, x, x.shape[this.batchFirst ? 0 : 1]);
    if (this.batchFirst) x = x.transpose(0, 1);
    const result = runRecurrentStack(x, states, this.cellWeights(), this.stackOptions());
    let output = this.batchFirst ? result.output.transpose(0, 1) : result.output;
    if (batched) return { output, state: result.state };
    output = output.squeeze(batchDim);
    return { output, state: result.state.map((s) => s.squeeze(1)) };
  }

  /**
   * The forward of a PackedSequence, as PyTorch's: `hx` comes in the batch's original order and is put in the
   * packed (sorted) order first; the output is packed as the input, and the final states go back to the original
   * order. `batchFirst` does not apply: the packed data has no batch dimension.
   */
  protected runPacked(input: PackedSequence, hx: readonly Tensor[] | null): { output: PackedSequence; state: Tensor[] } {
    const { data, sortedIndices, unsortedIndices } = input;
    const batchSizes = Array.from(input.batchSizes.dataSync(), Number);
    if (data.ndim !== 2) throw new RangeError(`input must have 2 dimensions, got ${data.ndim}`);
    if (data.shape[1] !== this.inputSize) {
      throw new RangeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${data.shape[1]}`);
    }
    const given = hx && sortedIndices ? hx.map((h) => h.indexSelect(1, sortedIndices)) : hx;
    const states = this.checkedStates(given, data, batchSizes[0]);
    const result = runPackedStack(data, batchSizes, states, this.cellWeights(), this.stackOptions());
    const state = unsortedIndices ? result.state.map((s) => s.indexSelect(1, unsortedIndices)) : result.state;
    return { output: new PackedSequence(result.output, input.batchSizes, sortedIndices, unsortedIndices), state };
  }

  /** The given states checked against the sizes PyTorch expects for `batch` sequences, or zeros when none were given. */
  private checkedStates(given: readonly Tensor[] | null, input: Tensor, batch: number): Tensor[] {
    const expected = this.expectedStateSizes(batch);
    const states = given ? [...given] : expected.map((shape) => zeros(shape, { dtype: input.dtype, device: input.device }));
    states.forEach((s, k) => {
      if (s.shape.length !== 3 || s.shape.some((n, i) => n !== expected[k][i])) {
        const what = this.mode === 'LSTM' ? `hidden[${k}]` : 'hidden';
        throw new RangeError(`Expected ${what} size ${pyTuple(expected[k])}, got [${s.shape.join(', ')}]`);
      }
    });
    return states;
  }

  private stackOptions(): RecurrentStackOptions {
    return { mode: this.mode, numLayers: this.numLayers, bidirectional: this.bidirectional, dropout: this.dropout, training: this.training };
  }

  /** PyTorch's check that the states have the input's batchedness; unbatched states get their batch of one. */
  private checkStateDims(hx: readonly Tensor[], batched: boolean): Tensor[] {
    const want = batched ? 3 : 2;
    if (hx.every((h) => h.ndim === want)) return batched ? [...hx] : hx.map((h) => h.unsqueeze(1));
    const form = batched ? 'batched 3-D' : 'unbatched 2-D';
    if (this.mode === 'LSTM') {
      const dims = hx.map((h) => `${h.ndim}-D`).join(', ');
      throw new RangeError(`For ${form} input, hx and cx should also be ${want}-D but got (${dims}) tensors`);
    }
    throw new RangeError(`For ${form} input, hx should also be ${want}-D but got ${hx[0].ndim}-D tensor`);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}
