import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// F.unfold / F.fold and nn.Unfold / nn.Fold against PyTorch 1.13: fixtures/gen_fold.py.
const F = nn.functional;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('fold', new URL('./fixtures/', import.meta.url));

interface Case {
  kwargs: { kernel_size: nn.functional.PairArg; dilation?: nn.functional.PairArg; padding?: nn.functional.PairArg; stride?: nn.functional.PairArg };
  outputSize?: number[];
  input: FixtureTensor;
  out: FixtureTensor;
  upstream: FixtureTensor;
  gradInput: FixtureTensor;
  gradFn: string;
}

const options = (c: Case) => ({ dilation: c.kwargs.dilation, padding: c.kwargs.padding, stride: c.kwargs.stride });
const label = (c: Case) => `${JSON.stringify(c.kwargs)} on [${c.input.shape}]`;

function check(c: Case, run: (x: torch.Tensor) => torch.Tensor): void {
  const x = fromFixture(c.input, true);
  const out = run(x);
  expectClose(out, c.out, 1e-6, 1e-6, 'out');
  expect(out.gradFn?.name()).toBe(c.gradFn);
  out.mul(fromFixture(c.upstream)).sum().backward();
  expectClose(x.grad!, c.gradInput, 1e-5, 1e-6, 'grad input');
}

describe('F.unfold and nn.Unfold match PyTorch', () => {
  it.each((golden.unfold as Case[]).map((c) => [label(c), c] as const))('%s', (_l, c) => {
    check(c, (x) => F.unfold(x, c.kwargs.kernel_size, options(c)));
    check(c, (x) => new nn.Unfold(c.kwargs.kernel_size, options(c)).forward(x));
  });
});

describe('F.fold and nn.Fold match PyTorch', () => {
  it.each((golden.fold as Case[]).map((c) => [label(c), c] as const))('%s', (_l, c) => {
    check(c, (x) => F.fold(x, c.outputSize!, c.kwargs.kernel_size, options(c)));
    check(c, (x) => new nn.Fold(c.outputSize!, c.kwargs.kernel_size, options(c)).forward(x));
  });

  it('takes dilation, padding and stride by position, as PyTorch', () => {
    const x = torch.arange(2 * 6 * 8).reshape([2, 6, 8]).float();
    const cols = F.unfold(x.unsqueeze(0), [2, 2], 1, 1, 2);
    expect(cols.tolist()).toEqual(F.unfold(x.unsqueeze(0), [2, 2], { padding: 1, stride: 2 }).tolist());
    expect(F.fold(cols, [6, 8], 2, 1, 1, 2).tolist()).toEqual(x.unsqueeze(0).tolist());
  });
});

describe('reprs and errors as PyTorch', () => {
  it.each((golden.reprs as { module: string; kwargs: Record<string, nn.functional.PairArg>; repr: string }[]).map((r) => [r.repr, r] as const))('%s', (repr, r) => {
    const k = r.kwargs;
    const o = { dilation: k.dilation, padding: k.padding, stride: k.stride };
    const module = r.module === 'Unfold' ? new nn.Unfold(k.kernel_size, o) : new nn.Fold(k.output_size, k.kernel_size, o);
    expect(module.toString()).toBe(repr);
  });

  const x = torch.randn([1, 2, 4, 5]);
  const CALLS: Record<string, () => unknown> = {
    'unfold 2-D input': () => F.unfold(torch.randn([4, 5]), 2),
    'unfold 5-D input': () => F.unfold(torch.randn([1, 1, 1, 4, 5]), 2),
    'unfold kernel too big': () => F.unfold(torch.randn([1, 2, 3, 6]), 4),
    'unfold zero kernel': () => F.unfold(x, 0),
    'unfold zero stride': () => F.unfold(x, 2, { stride: 0 }),
    'unfold zero dilation': () => F.unfold(x, 2, { dilation: 0 }),
    'unfold negative padding': () => F.unfold(x, 2, { padding: -1 }),
    'fold 4-D input': () => F.fold(torch.randn([2, 3, 4, 5]), [4, 5], 2),
    'fold channels': () => F.fold(torch.randn([1, 5, 12]), [4, 5], 2),
    'fold blocks': () => F.fold(torch.randn([1, 8, 11]), [4, 5], 2),
  };
  it.each((golden.errors as { call: string; error: string }[]).map((e) => [e.call, e] as const))('%s', (call, { error }) => {
    expect(CALLS[call]).toThrow(error);
  });
});
