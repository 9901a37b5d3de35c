import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// nn.EmbeddingBag and F.embedding_bag against PyTorch 1.13: fixtures/gen_embedding_bag.py.
const F = nn.functional;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('embedding-bag', new URL('./fixtures/', import.meta.url));

interface BagCase {
  name: string;
  input: FixtureTensor;
  offsets: FixtureTensor | null;
  mode: nn.functional.EmbeddingBagMode;
  includeLastOffset: boolean;
  paddingIdx: number | null;
  weight: FixtureTensor;
  psw: FixtureTensor | null;
  out: FixtureTensor;
  upstream: FixtureTensor;
  gradWeight: FixtureTensor;
  gradPsw: FixtureTensor | null;
  gradFn: string;
}

describe('F.embeddingBag matches PyTorch', () => {
  it.each((golden.cases as BagCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const weight = fromFixture(c.weight, true);
    const psw = c.psw ? fromFixture(c.psw, true) : null;
    const out = F.embeddingBag(fromFixture(c.input), weight, {
      offsets: c.offsets ? fromFixture(c.offsets) : null,
      mode: c.mode,
      perSampleWeights: psw,
      includeLastOffset: c.includeLastOffset,
      paddingIdx: c.paddingIdx,
    });
    expectClose(out, c.out, 1e-5, 1e-6, 'out');
    expect(out.gradFn?.name()).toBe(c.gradFn);
    out.mul(fromFixture(c.upstream)).sum().backward();
    expectClose(weight.grad!, c.gradWeight, 1e-5, 1e-6, 'grad weight');
    if (c.gradPsw) expectClose(psw!.grad!, c.gradPsw, 1e-5, 1e-6, 'grad per_sample_weights');
  });

  it('takes PyTorch positional order: offsets, max_norm, norm_type, scale_grad_by_freq, mode', () => {
    const w = torch.arange(12).reshape([4, 3]).float();
    const out = F.embeddingBag(torch.tensor([0, 1, 3]), w, torch.tensor([0, 1]), null, 2, false, 'sum');
    expect(out.tolist()).toEqual([
      [0, 1, 2],
      [12, 14, 16],
    ]);
  });
});

describe('nn.EmbeddingBag', () => {
  it.each((golden.modules as { args: number[]; kwargs: Record<string, unknown>; repr: string; weight: FixtureTensor; stateDictKeys: string[] }[]).map((m) => [m.repr, m] as const))(
    '%s: seeded weight and state_dict keys as PyTorch',
    (_repr, m) => {
      torch.manualSeed(7);
      const kw = m.kwargs as { mode?: nn.functional.EmbeddingBagMode; padding_idx?: number; include_last_offset?: boolean };
      const bag = new nn.EmbeddingBag(m.args[0], m.args[1], { mode: kw.mode, paddingIdx: kw.padding_idx, includeLastOffset: kw.include_last_offset });
      expect(bag.toString()).toBe(m.repr);
      expectClose(bag.weight, m.weight, 0, 0, 'weight');
      expect(Object.keys(bag.stateDict())).toEqual(m.stateDictKeys);
    },
  );

  it("the text-classification tutorial's model: embedding(text, offsets) then Linear", () => {
    const t = golden.tutorial;
    const emb = new nn.EmbeddingBag(20, 4, { sparse: false });
    const fc = new nn.Linear(4, 3);
    torch.noGrad(() => {
      emb.weight.copy_(fromFixture(t.embWeight));
      fc.weight.copy_(fromFixture(t.fcWeight));
      fc.bias!.copy_(fromFixture(t.fcBias));
    });
    const logits = fc(emb(fromFixture(t.text), fromFixture(t.offsets)));
    expectClose(logits, t.logits, 1e-5, 1e-6, 'logits');
    const loss = F.crossEntropy(logits, torch.tensor([0, 2, 1]));
    expect(loss.item()).toBeCloseTo(t.loss, 5);
    loss.backward();
    expectClose(emb.weight.grad!, t.gradEmbWeight, 1e-5, 1e-6, 'grad weight');
  });

  it('fromPretrained: frozen by default, options as the constructor’s', () => {
    const bag = nn.EmbeddingBag.fromPretrained(torch.arange(12).reshape([4, 3]).float(), { mode: 'sum', paddingIdx: 1 });
    expect(bag.toString()).toBe('EmbeddingBag(4, 3, mode=sum, padding_idx=1)');
    expect(bag.weight.requiresGrad).toBe(false);
    expect(bag(torch.tensor([0, 1, 3]), torch.tensor([0, 2])).tolist()).toEqual([
      [0, 1, 2],
      [9, 10, 11],
    ]);
    expect(nn.EmbeddingBag.fromPretrained(torch.ones([4, 3]), { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => nn.EmbeddingBag.fromPretrained(torch.ones([3]))).toThrow('Embeddings parameter is expected to be 2-dimensional');
  });

  it('forward takes offsets and per_sample_weights by position or keyword', () => {
    const bag = new nn.EmbeddingBag(4, 2, { mode: 'sum', weight: torch.arange(8).reshape([4, 2]).float() });
    const x = torch.tensor([1, 2, 3]);
    const offsets = torch.tensor([0, 2]);
    const w = torch.tensor([1, 2, 3]).float();
    expect(bag.forward(x, offsets, w).tolist()).toEqual(bag.forward(x, { offsets, perSampleWeights: w }).tolist());
    expect(bag.forward(x, offsets, w).tolist()).toEqual([
      [10, 13],
      [18, 21],
    ]);
  });
});

describe('embedding_bag errors are PyTorch’s', () => {
  const w = torch.randn([10, 3]);
  const x = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]);
  const o = torch.tensor([0, 4]);
  const CALLS: Record<string, () => unknown> = {
    '1-D without offsets': () => F.embeddingBag(x, w),
    '2-D with offsets': () => F.embeddingBag(x.view([2, 4]), w, o),
    'offsets[0] not 0': () => F.embeddingBag(x, w, torch.tensor([1, 4])),
    'offsets[-1] past the end': () => F.embeddingBag(x, w, torch.tensor([0, 9])),
    'per_sample_weights with mean': () => F.embeddingBag(x, w, o, { perSampleWeights: torch.ones([8]) }),
    'per_sample_weights of another shape': () => F.embeddingBag(x, w, o, { mode: 'sum', perSampleWeights: torch.ones([7]) }),
    '3-D input': () => F.embeddingBag(x.view([1, 2, 4]), w),
    'float input': () => F.embeddingBag(x.float(), w, o),
    'unknown mode': () => F.embeddingBag(x, w, o, { mode: 'foo' as 'sum' }),
    'index out of range': () => F.embeddingBag(torch.tensor([0, 10]), w, torch.tensor([0]), { mode: 'sum' }),
    'padding_idx out of range': () => new nn.EmbeddingBag(10, 3, { paddingIdx: 10 }),
  };
  it.each((golden.errors as { call: string; error: string }[]).map((e) => [e.call, e] as const))('%s', (call, { error }) => {
    const message = error.split('\n')[0].replace('torch.FloatTensor', 'float32');
    expect(CALLS[call]).toThrow(message);
  });
});
