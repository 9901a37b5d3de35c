import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { callArgs, caseInputs, caseRows, checkCase, type GoldenCase } from './golden-cases.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_more_layers.py writes test/fixtures/nn-more-layers.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-more-layers', new URL('./fixtures/', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each F function has its own argument list
const LOSSES: Record<string, (...a: any[]) => Tensor> = {
  triplet_margin_with_distance_loss: F.tripletMarginWithDistanceLoss,
  multilabel_margin_loss: F.multilabelMarginLoss,
};
const cases = (golden.cases as (GoldenCase & { grad_fn: string })[]).filter((c) => c.op in LOSSES);

export interface CtcCase {
  log_probs: FixtureTensor;
  targets: FixtureTensor;
  input_lengths: FixtureTensor | number[];
  target_lengths: FixtureTensor | number[];
  kwargs: { blank?: number; reduction?: 'none' | 'mean' | 'sum'; zero_infinity?: boolean };
  output: FixtureTensor;
  upstream: FixtureTensor;
  grad: FixtureTensor;
  grad_fn: string;
}

/** Lengths as the case gave them to PyTorch: a list, or an int64 tensor. */
export const lengths = (v: FixtureTensor | number[]): Tensor | number[] => (Array.isArray(v) ? v : fromFixture(v));

export const ctcOptions = (k: CtcCase['kwargs']) => ({ blank: k.blank, reduction: k.reduction, zeroInfinity: k.zero_infinity });

describe('triplet margin with distance and multilabel margin losses against PyTorch 1.13', () => {
  it.each(caseRows(cases))('%s: forward, gradients and grad_fn', (_, c) => {
    const inputs = caseInputs(c);
    const out = LOSSES[c.op](...inputs, ...callArgs(c));
    expect(out.gradFn?.name()).toBe(c.grad_fn);
    checkCase(c, inputs, out);
  });

  it('the modules give the same', () => {
    for (const c of cases) {
      const inputs = caseInputs(c);
      const o = { reduction: c.kwargs.reduction, ...(c.kwargs.margin !== undefined ? { margin: c.kwargs.margin } : {}), ...(c.kwargs.swap ? { swap: true } : {}) };
      const m = c.op === 'multilabel_margin_loss' ? new nn.MultiLabelMarginLoss({ reduction: o.reduction }) : new nn.TripletMarginWithDistanceLoss(o);
      expectClose((m as unknown as (...t: Tensor[]) => Tensor)(...inputs), c.output, 1e-5, 1e-6, c.op);
    }
  });

  it('prints the loss modules as PyTorch does', () => {
    const build: Record<string, () => nn.Module> = {
      triplet_margin_with_distance_loss: () => new nn.TripletMarginWithDistanceLoss(),
      multilabel_margin_loss: () => new nn.MultiLabelMarginLoss({ reduction: 'sum' }),
      ctc_loss: () => new nn.CTCLoss({ blank: 2, zeroInfinity: true }),
    };
    const reprs = (golden.reprs as { name: string; repr: string }[]).filter((x) => /_loss$/.test(x.name));
    expect(reprs.map((x) => x.name).sort()).toEqual(Object.keys(build).sort());
    for (const x of reprs) expect(String(build[x.name]()), x.name).toBe(x.repr);
  });

  it('takes any distance function, as a function or a module', () => {
    const [a, p, n] = [torch.randn([4, 3]), torch.randn([4, 3]), torch.randn([4, 3])];
    const cosine = (x1: Tensor, x2: Tensor) => F.cosineSimilarity(x1, x2).neg().add(1);
    const expected = cosine(a, p).sub(cosine(a, n)).add(0.5).clamp(0, null).mean();
    expect(F.tripletMarginWithDistanceLoss(a, p, n, { distanceFunction: cosine, margin: 0.5 }).item()).toBeCloseTo(expected.item(), 6);
    const withModule = new nn.TripletMarginWithDistanceLoss({ distanceFunction: new nn.PairwiseDistance(1) });
    expect(String(withModule)).toBe('TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)');
    expect(withModule(a, p, n).item()).toBeCloseTo(F.tripletMarginLoss(a, p, n, { p: 1 }).item(), 5);
  });

  it('rejects an unknown reduction with PyTorch\'s message', () => {
    const e = (golden.errors as { op: string; message: string }[]).find((x) => x.op === 'triplet_distance_reduction')!;
    const x = torch.randn([3, 4]);
    expect(() => F.tripletMarginWithDistanceLoss(x, x, x, { reduction: 'foo' as never })).toThrow(e.message);
    const m = (golden.errors as { op: string; message: string }[]).find((x) => x.op === 'multilabel_margin_target')!;
    expect(() => F.multilabelMarginLoss(x, torch.zeros([3, 5], { dtype: 'int64' }))).toThrow(m.message);
  });
});

describe('CTC loss against PyTorch 1.13', () => {
  it.each((golden.ctc as CtcCase[]).map((c, i) => [`${i} ${JSON.stringify(c.kwargs)} ${c.log_probs.shape}`, c] as const))('%s: forward, gradient and grad_fn', (_, c) => {
    const logProbs = fromFixture(c.log_probs, true);
    const out = F.ctcLoss(logProbs, fromFixture(c.targets), lengths(c.input_lengths), lengths(c.target_lengths), ctcOptions(c.kwargs));
    expect(out.gradFn?.name()).toBe(c.grad_fn);
    expectClose(out, c.output, 1e-5, 1e-5, 'output');
    out.mul(fromFixture(c.upstream)).sum().backward();
    expectClose(logProbs.grad!, c.grad, 1e-4, 1e-5, 'grad');
  });

  it('nn.CTCLoss gives the same', () => {
    const c = (golden.ctc as CtcCase[])[1];
    const loss = new nn.CTCLoss(ctcOptions(c.kwargs));
    expectClose(loss(fromFixture(c.log_probs), fromFixture(c.targets), lengths(c.input_lengths), lengths(c.target_lengths)), c.output, 1e-5, 1e-5);
  });

  it('trains through a log_softmax: the gradient reaches the logits', () => {
    const c = (golden.ctc as CtcCase[])[1];
    const logits = fromFixture(c.log_probs, true);
    F.ctcLoss(F.logSoftmax(logits, 2), fromFixture(c.targets), lengths(c.input_lengths), lengths(c.target_lengths)).backward();
    // The log probabilities are already normalized, so the logits' gradient is PyTorch's log_probs gradient
    // less the softmax times its sum over classes (which PyTorch's CTC gradient already folds in): finite and summing to 0.
    const g = logits.grad!;
    expect(Number(g.isfinite().all().item())).toBe(1);
    expect(Math.abs(g.sum().item())).toBeLessThan(1e-4);
  });

  it('takes int32 targets too, as PyTorch', () => {
    const c = (golden.ctc as CtcCase[])[1];
    const targets = fromFixture(c.targets).to('int32');
    expectClose(F.ctcLoss(fromFixture(c.log_probs), targets, lengths(c.input_lengths), lengths(c.target_lengths), ctcOptions(c.kwargs)), c.output, 1e-5, 1e-5);
  });

  const errors = ['ctc_input_lengths', 'ctc_target_lengths', 'ctc_blank'];
  it.each(errors)('raises PyTorch\'s error for %s', (op) => {
    const e = (golden.errors as { op: string; message: string }[]).find((x) => x.op === op)!;
    const lp = torch.randn([5, 2, 4]).logSoftmax(2);
    const t = torch.tensor([[1, 2], [1, 1]]);
    const calls: Record<string, () => unknown> = {
      ctc_input_lengths: () => F.ctcLoss(lp, t, [6, 5], [2, 2]),
      ctc_target_lengths: () => F.ctcLoss(lp, t, [5, 5], [3, 2]),
      ctc_blank: () => F.ctcLoss(lp, t, [5, 5], [2, 2], { blank: 4 }),
    };
    expect(calls[op]).toThrow(e.message);
  });
});
