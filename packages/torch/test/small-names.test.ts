import { afterEach, describe, expect, it, vi } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// torch.cdist, torch.clampMin / clampMax, torch.ravel, F.gumbelSoftmax and F.upsample against PyTorch 1.13:
// fixtures/gen_small_names.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('small-names', new URL('./fixtures/', import.meta.url));
const F = torch.nn.functional;

interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

const T = (t: FixtureTensor, grad = false) => {
  const x = torch.tensor(t.data, { dtype: t.dtype as torch.DType }).reshape(t.shape);
  return grad ? x.requiresGrad_() : x;
};

function expectClose(actual: torch.Tensor | null, expected: FixtureTensor, tol: number, label: string): void {
  expect(actual, label).not.toBeNull();
  expect(actual!.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual!.dtype, `${label} dtype`).toBe(expected.dtype);
  const got = Array.from(actual!.dataSync() as ArrayLike<number | bigint>, Number);
  expected.data.forEach((e, i) => {
    if (!(Math.abs(got[i] - e) <= tol + tol * Math.abs(e))) throw new Error(`${label} element ${i}: got ${got[i]}, expected ${e}`);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('torch.cdist matches PyTorch', () => {
  it.each((golden.cdist as { p: number | 'inf'; computeMode: torch.CdistComputeMode | null; x1: FixtureTensor; x2: FixtureTensor; [k: string]: unknown }[]).map((c) => [c.p, c.computeMode ?? 'default', `[${c.x1.shape}] [${c.x2.shape}]`, c] as const))(
    'p=%s, %s, %s',
    (_p, _m, _s, c) => {
      const x1 = T(c.x1, true);
      const x2 = T(c.x2, true);
      const p = c.p === 'inf' ? Infinity : c.p;
      const out = c.computeMode ? torch.cdist(x1, x2, p, c.computeMode) : torch.cdist(x1, x2, p);
      expectClose(out, c.out as FixtureTensor, 1e-5, 'out');
      expect(out.gradFn?.name()).toBe(c.gradFn);
      out.mul(T(c.upstream as FixtureTensor)).sum().backward();
      expectClose(x1.grad, c.gradX1 as FixtureTensor, 1e-4, 'grad x1');
      expectClose(x2.grad, c.gradX2 as FixtureTensor, 1e-4, 'grad x2');
    },
  );

  it('p=2 by default', () => {
    const a = torch.tensor([[0, 0], [3, 4]]).float();
    expect(torch.cdist(a, a).tolist()).toEqual([
      [0, 5],
      [5, 0],
    ]);
    expect(torch.cdist(a, a, { p: 1 }).tolist()).toEqual([
      [0, 7],
      [7, 0],
    ]);
  });

  const b = torch.randn(4, 3);
  const CALLS: Record<string, () => unknown> = {
    'integer x1': () => torch.cdist(torch.ones([2, 3], { dtype: 'int64' }), b),
    '1-D x1': () => torch.cdist(torch.ones(3), b),
    columns: () => torch.cdist(torch.ones(2, 3), torch.ones(4, 2)),
    'negative p': () => torch.cdist(torch.ones(2, 3), b, { p: -1 }),
    compute_mode: () => torch.cdist(torch.ones(2, 3), b, { computeMode: 'foo' as torch.CdistComputeMode }),
  };
  it.each((golden.cdistErrors as { call: string; error: string }[]).map((e) => [e.call, e.error] as const))('error: %s', (call, error) => {
    expect(CALLS[call]).toThrow(error);
  });
});

describe('torch.clampMin, torch.clampMax and torch.ravel match PyTorch', () => {
  const CALLS: Record<string, (x: torch.Tensor) => torch.Tensor> = {
    clamp_min: (x) => torch.clampMin(x, 0.1),
    clamp_max: (x) => torch.clampMax(x, -0.2),
    'x.clamp_min': (x) => x.clampMin(-0.5),
    'x.clamp_max': (x) => x.clampMax(0.3),
    'clamp_min tensor': (x) => torch.clampMin(x, torch.tensor([0.0, 0.5, -0.5, 1.0])),
    'clamp_max tensor': (x) => torch.clampMax(x, torch.tensor([0.0, 0.5, -0.5, 1.0])),
    ravel: (x) => torch.ravel(x),
    'x.ravel': (x) => x.t().ravel(),
  };
  it.each((golden.clamps as { name: string; x: FixtureTensor; out: FixtureTensor; upstream: FixtureTensor; gradX: FixtureTensor; gradFn: string }[]).map((c) => [c.name, c] as const))(
    '%s',
    (name, c) => {
      const x = T(c.x, true);
      const out = CALLS[name](x);
      expectClose(out, c.out, 0, 'out');
      expect(out.gradFn?.name()).toBe(c.gradFn);
      out.mul(T(c.upstream)).sum().backward();
      expectClose(x.grad, c.gradX, 0, 'grad x');
    },
  );

  it('promotes an integer tensor clamped by a float, as PyTorch', () => {
    expectClose(torch.clampMin(torch.tensor([1, 2, 3]), 1.5), golden.intClamps['clamp_min int by float'], 0, 'clamp_min');
    expectClose(torch.clampMax(torch.tensor([1, 2, 3]), 2), golden.intClamps['clamp_max int by int'], 0, 'clamp_max');
  });

  it('x.ravel() of a contiguous tensor is a view', () => {
    const x = torch.zeros(2, 3);
    x.ravel().fill_(1);
    expect(x.sum().item()).toBe(6);
  });
});

describe('F.gumbelSoftmax draws PyTorch’s sample for a seed', () => {
  it.each((golden.gumbel as { tau: number; hard: boolean; dim: number; seed: number; logits: FixtureTensor; out: FixtureTensor; upstream: FixtureTensor; gradLogits: FixtureTensor; gradFn: string; after: number }[]).map((c) => [c.tau, c.hard, c.dim, c] as const))(
    'tau=%s, hard=%s, dim=%s',
    (_t, _h, _d, c) => {
      torch.manualSeed(c.seed);
      const logits = torch.randn(3, 5);
      expectClose(logits, c.logits, 0, 'logits');
      logits.requiresGrad_();
      const out = F.gumbelSoftmax(logits, { tau: c.tau, hard: c.hard, dim: c.dim });
      expectClose(out, c.out, 1e-5, 'out');
      expect(out.gradFn?.name()).toBe(c.gradFn);
      // The upstream gradient was the generator's next draws: the stream goes on in step with PyTorch's.
      const upstream = torch.randn(out.shape);
      expectClose(upstream, c.upstream, 0, 'upstream');
      out.mul(upstream).sum().backward();
      expectClose(logits.grad, c.gradLogits, 1e-5, 'grad logits');
      expect(torch.rand(1).item()).toBeCloseTo(c.after, 6);
    },
  );

  it('hard samples are one-hot along dim; the soft gradient passes straight through', () => {
    torch.manualSeed(3);
    const logits = torch.randn(4, 6).requiresGrad_();
    const y = F.gumbelSoftmax(logits, 0.7, true);
    expect(y.sum(-1).tolist()).toEqual([1, 1, 1, 1]);
    expect(y.eq(0).logicalOr(y.eq(1)).all().item()).toBeTruthy();
  });

  it('warns that eps is deprecated, as PyTorch', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    F.gumbelSoftmax(torch.zeros(2), { eps: 1e-5 });
    expect(warn).toHaveBeenCalledWith(`UserWarning: ${golden.gumbelEpsWarning[0]}`);
  });
});

describe('F.upsample: interpolate with PyTorch’s deprecation warning', () => {
  it('bilinear by scale factor, nearest by size', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const u = golden.upsample;
    const x = T(u.input, true);
    const out = F.upsample(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: false });
    expectClose(out, u.out, 1e-6, 'bilinear');
    expect(out.gradFn?.name()).toBe(u.gradFn);
    expectClose(F.upsample(x, [4, 6]), u.nearest, 0, 'nearest');
    expect(warn).toHaveBeenCalledWith(`UserWarning: ${u.warnings[0]}`);
  });
});
