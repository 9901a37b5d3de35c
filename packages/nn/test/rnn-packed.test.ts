import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { rnn } from '../src/utils/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_rnn_packed.py writes test/fixtures/nn-rnn-packed.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-rnn-packed', new URL('./fixtures/', import.meta.url));

type FixtureState = FixtureTensor | FixtureTensor[];

interface Case {
  module: 'RNN' | 'LSTM' | 'GRU';
  args: Record<string, unknown>;
  lengths: number[];
  batch_first: boolean;
  enforce_sorted: boolean;
  training: boolean;
  seed: number | null;
  params: [string, FixtureTensor][];
  input: FixtureTensor;
  hx: FixtureState | null;
  packed: { batch_sizes: FixtureTensor; sorted_indices: FixtureTensor | null; unsorted_indices: FixtureTensor | null };
  output: FixtureTensor;
  padded: { output: FixtureTensor; lengths: FixtureTensor };
  state: FixtureState;
  upstream: { output: FixtureTensor; state: FixtureState };
  grads: { input: FixtureTensor; hx: FixtureState | null; params: Record<string, FixtureTensor> };
}

type Recurrent = nn.RNN | nn.LSTM | nn.GRU;
const CONSTRUCTORS = { RNN: nn.RNN, LSTM: nn.LSTM, GRU: nn.GRU };
const asList = <T>(state: T | T[]): T[] => (Array.isArray(state) ? state : [state]);
const ints = (t: Tensor | null): number[] | null => (t === null ? null : Array.from(t.dataSync(), Number));

function camel(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

function build(module: Case['module'], args: Record<string, unknown>): Recurrent {
  const { input_size: inputSize, hidden_size: hiddenSize, ...rest } = args;
  return new CONSTRUCTORS[module](inputSize as number, hiddenSize as number, camel(rest));
}

/** Runs the module on a packed input with the initial state in its own form, and gives the final states as a list. */
function runPacked(m: Recurrent, module: Case['module'], packed: rnn.PackedSequence, hx: Tensor[] | null): [rnn.PackedSequence, Tensor[]] {
  if (module === 'LSTM') {
    const [out, [h, c]] = (m as nn.LSTM)(packed, hx ? [hx[0], hx[1]] : null);
    return [out, [h, c]];
  }
  const [out, h] = (m as nn.RNN | nn.GRU)(packed, hx ? hx[0] : null);
  return [out, [h]];
}

describe('recurrent layers on a PackedSequence against PyTorch 1.13', () => {
  const cases = golden.cases as Case[];
  const label = (c: Case) =>
    `${c.module} ${JSON.stringify(c.args)} lengths ${JSON.stringify(c.lengths)}${c.enforce_sorted ? ' sorted' : ''}${c.hx ? ' with hx' : ''}${c.training ? ' training' : ''}`;

  it.each(cases.map((c, i) => [`${i} ${label(c)}`, c] as const))('%s: packed output, final states and gradients', (_, c) => {
    const m = build(c.module, c.args);
    m.train(c.training);
    torch.noGrad(() => c.params.forEach(([name, t]) => m.getParameter(name).copy_(fromFixture(t))));
    const x = fromFixture(c.input, true);
    const hx = c.hx ? asList(c.hx).map((t) => fromFixture(t, true)) : null;
    const packed = rnn.packPaddedSequence(x, c.lengths, { batchFirst: c.batch_first, enforceSorted: c.enforce_sorted });
    if (c.seed !== null) torch.manualSeed(c.seed);
    const [output, state] = runPacked(m, c.module, packed, hx);

    expect(output).toBeInstanceOf(rnn.PackedSequence);
    expect(ints(output.batchSizes)).toEqual(c.packed.batch_sizes.data);
    expect(ints(output.sortedIndices)).toEqual(c.packed.sorted_indices?.data ?? null);
    expect(ints(output.unsortedIndices)).toEqual(c.packed.unsorted_indices?.data ?? null);
    expectClose(output.data, c.output, 1e-5, 1e-5, 'output');
    const [padded, lengths] = rnn.padPackedSequence(output, { batchFirst: c.batch_first });
    expectClose(padded, c.padded.output, 1e-5, 1e-5, 'padded output');
    expect(ints(lengths)).toEqual(c.padded.lengths.data);
    const expectedState = asList(c.state);
    expect(state.length).toBe(expectedState.length);
    expectedState.forEach((e, k) => expectClose(state[k], e, 1e-5, 1e-5, `state ${k}`));

    const upstreamState = asList(c.upstream.state);
    state
      .map((s, k) => s.mul(fromFixture(upstreamState[k])).sum())
      .reduce((a, b) => a.add(b), output.data.mul(fromFixture(c.upstream.output)).sum())
      .backward();
    expectClose(x.grad!, c.grads.input, 1e-4, 1e-5, 'grad of input');
    if (hx) asList(c.grads.hx!).forEach((g, k) => expectClose(hx[k].grad!, g, 1e-4, 1e-5, `grad of hx ${k}`));
    for (const [name, p] of m.namedParameters()) expectClose(p.grad!, c.grads.params[name], 1e-4, 1e-5, `grad of ${name}`);
  });

  it.each(
    (golden.errors as { module: Case['module']; args: Record<string, unknown>; lengths: number[]; features: number; hx: number[] | number[][] | null; message: string }[]).map(
      (e) => [`${e.module} ${JSON.stringify(e.args)} features ${e.features} hx ${JSON.stringify(e.hx)}`, e] as const,
    ),
  )("raises PyTorch's error for %s", (_, e) => {
    const m = build(e.module, e.args);
    const packed = rnn.packPaddedSequence(torch.randn(Math.max(...e.lengths), e.lengths.length, e.features), e.lengths);
    const hx = e.hx === null ? null : e.module === 'LSTM' ? (e.hx as number[][]).map((s) => torch.randn(s)) : [torch.randn(e.hx as number[])];
    expect(() => runPacked(m, e.module, packed, hx)).toThrow(e.message);
  });
});

describe('recurrent layers on a PackedSequence', () => {
  it('gives each sequence the same output and final state as running it alone', () => {
    torch.manualSeed(0);
    const gru = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true });
    const sequences = [torch.randn(2, 3), torch.randn(5, 3), torch.randn(3, 3)];
    const [out, h] = gru(rnn.packSequence(sequences, false));
    const [padded] = rnn.padPackedSequence(out);
    sequences.forEach((s, b) => {
      const [alone, hAlone] = gru(s);
      expect(padded.select(1, b).narrow(0, 0, s.shape[0]).sub(alone).abs().max().item()).toBeLessThan(1e-6);
      expect(h.select(1, b).sub(hAlone).abs().max().item()).toBeLessThan(1e-6);
    });
  });

  it('ignores batchFirst for the packed data and keeps the input\'s indices', () => {
    const lstm = new nn.LSTM(2, 3, { batchFirst: true });
    const packed = rnn.packSequence([torch.randn(1, 2), torch.randn(3, 2)], false);
    const [out, [h, c]] = lstm(packed);
    expect(out.data.shape).toEqual([4, 3]);
    expect(out.sortedIndices).toBe(packed.sortedIndices);
    expect(out.unsortedIndices).toBe(packed.unsortedIndices);
    expect([h.shape, c.shape]).toEqual([[1, 2, 3], [1, 2, 3]]);
  });
});
