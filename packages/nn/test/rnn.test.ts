import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_rnn.py writes test/fixtures/nn-rnn.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-rnn', new URL('./fixtures/', import.meta.url));

/** A state as the fixture stores it: one tensor, or [h, c] for the LSTMs. */
type FixtureState = FixtureTensor | FixtureTensor[];

interface Case {
  module: string;
  args: Record<string, unknown>;
  training: boolean;
  seed: number | null;
  params: [string, FixtureTensor][];
  input: FixtureTensor;
  hx: FixtureState | null;
  output: FixtureTensor | null;
  state: FixtureState;
  upstream: { output: FixtureTensor | null; state: FixtureState };
  grads: { input: FixtureTensor; hx: FixtureState | null; params: Record<string, FixtureTensor> };
}

const CONSTRUCTORS = { RNN: nn.RNN, LSTM: nn.LSTM, GRU: nn.GRU, RNNCell: nn.RNNCell, LSTMCell: nn.LSTMCell, GRUCell: nn.GRUCell };
const isLstm = (module: string) => module === 'LSTM' || module === 'LSTMCell';
const asList = <T>(state: T | T[]): T[] => (Array.isArray(state) ? state : [state]);

/** PyTorch's keyword arguments, camelCased into the trailing options object. */
function camel(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

/** `nn.<module>(input_size, hidden_size, **rest)` as a user writes it. */
function build(module: string, args: Record<string, unknown>): nn.Module {
  const { input_size: inputSize, hidden_size: hiddenSize, ...rest } = args;
  const Constructor = CONSTRUCTORS[module as keyof typeof CONSTRUCTORS];
  return new Constructor(inputSize as number, hiddenSize as number, camel(rest));
}

/** The initial state argument in the module's own form: a tensor, or [h, c] for the LSTMs. */
function stateArg(module: string, states: Tensor[] | null): Tensor | [Tensor, Tensor] | null {
  if (states === null) return null;
  return isLstm(module) ? [states[0], states[1]] : states[0];
}

describe('recurrent layers against PyTorch 1.13', () => {
  const cases = golden.cases as Case[];
  const label = (c: Case) => `${c.module} ${JSON.stringify(c.args)} input ${JSON.stringify(c.input.shape)}${c.hx ? ' with hx' : ''}${c.training ? ' training' : ''}`;

  it.each(cases.map((c, i) => [`${i} ${label(c)}`, c] as const))('%s: forward, final states and gradients', (_, c) => {
    const m = build(c.module, c.args);
    m.train(c.training);
    expect(m.namedParameters().map(([name]) => name)).toEqual(c.params.map(([name]) => name));
    torch.noGrad(() => c.params.forEach(([name, t]) => m.getParameter(name).copy_(fromFixture(t))));
    const x = fromFixture(c.input, true);
    const hx = c.hx ? asList(c.hx).map((t) => fromFixture(t, true)) : null;
    if (c.seed !== null) torch.manualSeed(c.seed);
    const result = m(x, stateArg(c.module, hx));

    const cell = c.module.endsWith('Cell');
    const output: Tensor | null = cell ? null : result[0];
    const state: Tensor[] = asList(cell ? result : result[1]);
    if (output) expectClose(output, c.output!, 1e-5, 1e-5, 'output');
    const expectedState = asList(c.state);
    expect(state.length).toBe(expectedState.length);
    expectedState.forEach((e, k) => expectClose(state[k], e, 1e-5, 1e-5, `state ${k}`));

    const upstreamState = asList(c.upstream.state);
    let total = state.map((s, k) => s.mul(fromFixture(upstreamState[k])).sum()).reduce((a, b) => a.add(b));
    if (output) total = total.add(output.mul(fromFixture(c.upstream.output!)).sum());
    total.backward();
    expectClose(x.grad!, c.grads.input, 1e-4, 1e-5, 'grad of input');
    if (hx) asList(c.grads.hx!).forEach((g, k) => expectClose(hx[k].grad!, g, 1e-4, 1e-5, `grad of hx ${k}`));
    for (const [name, p] of m.namedParameters()) expectClose(p.grad!, c.grads.params[name], 1e-4, 1e-5, `grad of ${name}`);
  });

  it.each(
    (golden.errors as { module: string; args: Record<string, unknown>; input: number[] | null; hx: number[] | number[][] | null; message: string }[]).map(
      (e) => [`${e.module} ${JSON.stringify(e.args)} input ${JSON.stringify(e.input)} hx ${JSON.stringify(e.hx)}`, e] as const,
    ),
  )('raises PyTorch\'s error for %s', (_, e) => {
    const run = () => {
      const m = build(e.module, e.args);
      if (e.input === null) return;
      const hx = e.hx === null ? null : isLstm(e.module) ? (e.hx as number[][]).map((s) => torch.randn(s)) : [torch.randn(e.hx as number[])];
      m(torch.randn(e.input), stateArg(e.module, hx));
    };
    expect(run).toThrow(e.message);
  });
});

describe('recurrent modules', () => {
  const build: Record<string, () => nn.Module> = {
    rnn: () => new nn.RNN(10, 20),
    rnn_relu: () => new nn.RNN(10, 20, { nonlinearity: 'relu', numLayers: 2, dropout: 0.5 }),
    rnn_positional: () => new nn.RNN(10, 20, 3, false, true, 0.25, true),
    lstm: () => new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true }),
    lstm_positional: () => new nn.LSTM(10, 20, 2),
    lstm_full: () => new nn.LSTM(10, 20, { numLayers: 2, bias: false, batchFirst: true, dropout: 1, bidirectional: true, projSize: 5 }),
    gru: () => new nn.GRU(3, 4, { bidirectional: true }),
    gru_dropout: () => new nn.GRU(3, 4, 2, { dropout: 0.1 }),
    rnn_cell: () => new nn.RNNCell(3, 4),
    rnn_cell_relu: () => new nn.RNNCell(3, 4, false, 'relu'),
    lstm_cell: () => new nn.LSTMCell(3, 4, { bias: false }),
    gru_cell: () => new nn.GRUCell(3, 4),
    seq: () => new nn.Sequential(new nn.LSTM(3, 4), new nn.GRUCell(4, 2)),
  };

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(build[name]())).toBe(r.repr);
  });

  const inits: Record<string, () => nn.Module> = {
    rnn: () => new nn.RNN(3, 4, { numLayers: 2 }),
    lstm_bidirectional: () => new nn.LSTM(3, 4, { bidirectional: true }),
    gru_no_bias: () => new nn.GRU(3, 5, { numLayers: 2, bias: false, bidirectional: true }),
    lstm_proj: () => new nn.LSTM(3, 5, { numLayers: 2, projSize: 2, bidirectional: true }),
    rnn_cell: () => new nn.RNNCell(3, 4),
    lstm_cell: () => new nn.LSTMCell(3, 4),
    gru_cell_no_bias: () => new nn.GRUCell(3, 4, { bias: false }),
  };

  it.each((golden.init as { name: string; seed: number; params: [string, FixtureTensor][] }[]).map((r) => [r.name, r] as const))(
    'initializes %s from the seeded stream, with PyTorch\'s state_dict keys in order',
    (name, r) => {
      torch.manualSeed(r.seed);
      const state = inits[name]().stateDict();
      expect(Object.keys(state)).toEqual(r.params.map(([key]) => key));
      r.params.forEach(([key, t]) => expectClose(state[key], t, 0, 0, key));
    },
  );

  it('takes PyTorch\'s positional arguments, then an options object', () => {
    const lstm = new nn.LSTM(10, 20, 2, true, true);
    expect([lstm.numLayers, lstm.bias, lstm.batchFirst, lstm.bidirectional]).toEqual([2, true, true, false]);
    const gru = new nn.GRU(10, 20, 2, { bidirectional: true });
    expect([gru.numLayers, gru.bidirectional, gru.allWeights.length]).toEqual([2, true, 4]);
    expect(new nn.RNNCell(3, 4, true, 'relu').nonlinearity).toBe('relu');
    expect(new nn.GRUCell(3, 4, false).biasIh).toBeNull();
  });

  it('rejects arguments as Python does', () => {
    expect(() => new nn.LSTM(10, 20, { num_layers: 2 } as never)).toThrow("LSTM() got an unexpected keyword argument 'num_layers'");
    expect(() => new nn.LSTM(10, 20, 1, { numLayers: 2 })).toThrow("LSTM() got multiple values for argument 'num_layers'");
    expect(() => new nn.GRU(10, 20, 1, true, false, 0, false, 0, 'cpu', 'float32', 3)).toThrow(
      'GRU() takes from 2 to 10 positional arguments but 11 were given',
    );
    expect(() => new nn.RNNCell(3, 4, { nonlinearity: 'tanh', hidden: 3 } as never)).toThrow("RNNCell() got an unexpected keyword argument 'hidden'");
    expect(() => new nn.LSTMCell(3, 4, { nonlinearity: 'tanh' } as never)).toThrow("LSTMCell() got an unexpected keyword argument 'nonlinearity'");
  });

  it('names its parameters as PyTorch does and exposes them per layer (all_weights) and per cell', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, projSize: 2 });
    expect(lstm.allWeights.map((ws) => ws.map((w) => w.shape))).toEqual([
      [[16, 3], [16, 2], [16], [16], [2, 4]],
      [[16, 2], [16, 2], [16], [16], [2, 4]],
    ]);
    expect(lstm.getParameter('weight_hr_l1')).toBe(lstm.allWeights[1][4]);
    const cell = new nn.GRUCell(3, 4);
    expect([cell.weightIh.shape, cell.weightHh.shape, cell.biasIh!.shape, cell.biasHh!.shape]).toEqual([[12, 3], [12, 4], [12], [12]]);
    expect(cell.weightIh).toBe(cell.getParameter('weight_ih'));
  });

  it('uses dropout between layers only in training mode', () => {
    const gru = new nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
    const x = torch.randn(5, 2, 3);
    gru.eval();
    const [a] = gru(x);
    const [b] = gru(x);
    expect(a.tolist()).toEqual(b.tolist());
    gru.train();
    torch.manualSeed(0);
    const [c] = gru(x);
    torch.manualSeed(0);
    const [d] = gru(x);
    expect(c.tolist()).toEqual(d.tolist());
    expect(c.tolist()).not.toEqual(a.tolist());
  });

  it('trains an LSTM tagger to PyTorch\'s losses and weights', () => {
    const t = golden.tagger;
    torch.manualSeed(t.seed);
    const model = new Tagger(9, 6, 5, 3);
    const sentence = fromFixture(t.sentence);
    const tags = fromFixture(t.tags);
    const losses: number[] = [];
    for (let step = 0; step < t.losses.length; step++) {
      model.zeroGrad();
      const loss = F.crossEntropy(model(sentence), tags);
      loss.backward();
      // SGD(lr)'s step, as optim.SGD takes it (nn sits below optim).
      torch.noGrad(() => model.parameters().forEach((p) => p.add_(p.grad!, { alpha: -t.lr })));
      losses.push(loss.item());
    }
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(t.losses[i], 5));
    expectClose(model.lstm.getParameter('weight_hh_l0'), t.lstm_weight_hh_after, 1e-4, 1e-6, 'lstm weight_hh_l0');
    expectClose(model.hidden2tag.bias!, t.linear_bias_after, 1e-4, 1e-6, 'linear bias');
  });
});

/** The LSTM part-of-speech tagger of PyTorch's "Sequence Models and LSTMs" tutorial. */
class Tagger extends nn.Module {
  embedding: nn.Embedding;
  lstm: nn.LSTM;
  hidden2tag: nn.Linear;

  constructor(vocab: number, embeddingDim: number, hiddenDim: number, tags: number) {
    super();
    this.embedding = new nn.Embedding(vocab, embeddingDim);
    this.lstm = new nn.LSTM(embeddingDim, hiddenDim);
    this.hidden2tag = new nn.Linear(hiddenDim, tags);
  }

  override forward(sentence: Tensor): Tensor {
    const steps = sentence.shape[0];
    const [out] = this.lstm(this.embedding(sentence).view(steps, 1, -1));
    return this.hidden2tag(out.view(steps, -1));
  }
}
