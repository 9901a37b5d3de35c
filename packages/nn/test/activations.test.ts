import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { callArgs, camel, caseInputs, caseRows, checkCase, type GoldenCase } from './golden-cases.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_activations.py writes test/fixtures/nn-activations.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-activations', new URL('./fixtures/', import.meta.url));
const cases = golden.cases as GoldenCase[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each F function has its own argument list
const FNS: Record<string, (...a: any[]) => Tensor> = {
  ...(F as unknown as Record<string, (...a: unknown[]) => Tensor>),
  softmax2d: (x: Tensor) => new nn.Softmax2d()(x),
};

/** The functional ops with an `inplace` argument, and their `F.<op>_` forms. */
const INPLACE = ['elu', 'selu', 'celu', 'hardtanh', 'relu6', 'hardsigmoid', 'hardswish', 'mish', 'threshold'];
const UNDERSCORE = ['elu', 'selu', 'celu', 'hardtanh', 'threshold'];

describe('activations against PyTorch 1.13', () => {
  it.each(caseRows(cases))('%s: forward and gradients', (_, c) => {
    const inputs = caseInputs(c);
    checkCase(c, inputs, FNS[c.op](...inputs, ...callArgs(c)));
  });

  const inplaceCases = cases.filter((c) => INPLACE.includes(c.op));
  it.each(caseRows(inplaceCases))('%s with inplace: writes into its input, same values and gradients', (_, c) => {
    const [leaf] = caseInputs(c);
    const input = leaf.mul(1);
    const out = FNS[c.op](input, ...c.args, { ...camel(c.kwargs), inplace: true });
    expect(out).toBe(input);
    checkCase(c, [leaf], out);
  });

  it.each(caseRows(cases.filter((c) => UNDERSCORE.includes(c.op))))('%s as F.<op>_', (_, c) => {
    const input = fromFixture(c.inputs[0]);
    const positional = c.op === 'hardtanh' ? [c.kwargs.min_val ?? c.args[0] ?? -1, c.args[1] ?? 1] : c.args;
    const out = FNS[`${c.op}_`](input, ...(c.op === 'celu' ? [c.kwargs.alpha] : positional));
    expect(out).toBe(input);
    expectClose(out, c.output, 1e-5, 1e-6);
  });

  it('relu_ and leakyRelu_ write into their input', () => {
    const x = torch.tensor([-2, -0.5, 0, 3], { dtype: 'float32' });
    expect(F.relu_(x)).toBe(x);
    expect(x.tolist()).toEqual([0, 0, 0, 3]);
    const y = torch.tensor([-2, 4], { dtype: 'float32' });
    expect(F.leakyRelu_(y, 0.5).tolist()).toEqual([-1, 4]);
  });

  const ERRORS: Record<string, () => unknown> = {
    glu_odd: () => F.glu(torch.randn(2, 5), 1),
    glu_scalar: () => F.glu(torch.randn([])),
    prelu_mismatch: () => F.prelu(torch.randn(2, 4), torch.ones(3)),
    prelu_1d_input: () => F.prelu(torch.randn(4), torch.ones(4)),
    prelu_2d_weight: () => F.prelu(torch.randn(2, 4), torch.ones(2, 2)),
    softmax2d_2d: () => new nn.Softmax2d()(torch.randn(2, 5)),
    softshrink_negative: () => F.softshrink(torch.randn(3), -1),
    celu_zero: () => F.celu(torch.randn(3), 0),
    elu_leaf: () => F.elu(torch.randn([3], { requiresGrad: true }), { inplace: true }),
  };
  it.each((golden.errors as { op: string; message: string }[]).map((e) => [e.op, e] as const))('raises PyTorch\'s error: %s', (op, e) => {
    expect(() => ERRORS[op]()).toThrow(e.message);
  });

  it('rejects an option the function does not take, and too many positional arguments', () => {
    expect(() => F.elu(torch.randn(3), { alhpa: 1 } as never)).toThrow("elu() got an unexpected keyword argument 'alhpa'");
    expect(() => new nn.Softplus(1, 20, 3 as never)).toThrow('Softplus() takes from 0 to 2 positional arguments but 3 were given');
  });
});

describe('activation modules', () => {
  const BUILD: Record<string, () => nn.Module> = {
    elu: () => new nn.ELU(),
    elu_inplace: () => new nn.ELU(0.5, true),
    selu: () => new nn.SELU(),
    selu_inplace: () => new nn.SELU(true),
    celu: () => new nn.CELU(2.0),
    hardtanh: () => new nn.Hardtanh(),
    hardtanh_args: () => new nn.Hardtanh(-2.5, 0.5, true),
    relu6: () => new nn.ReLU6(),
    relu6_inplace: () => new nn.ReLU6(true),
    hardsigmoid: () => new nn.Hardsigmoid(),
    hardswish: () => new nn.Hardswish({ inplace: true }),
    mish: () => new nn.Mish(),
    softplus: () => new nn.Softplus(),
    softplus_args: () => new nn.Softplus(2, 5),
    softsign: () => new nn.Softsign(),
    softshrink: () => new nn.Softshrink(),
    hardshrink: () => new nn.Hardshrink(0.25),
    tanhshrink: () => new nn.Tanhshrink(),
    threshold: () => new nn.Threshold(0.1, 20),
    threshold_inplace: () => new nn.Threshold(0.5, -3.5, true),
    glu: () => new nn.GLU(),
    logsigmoid: () => new nn.LogSigmoid(),
    prelu: () => new nn.PReLU(),
    prelu_3: () => new nn.PReLU(3, 0.1),
    softmin: () => new nn.Softmin(),
    softmin_dim: () => new nn.Softmin(1),
    softmax2d: () => new nn.Softmax2d(),
    stack: () => new nn.Sequential(new nn.Linear(4, 8), new nn.PReLU(8), new nn.Hardswish(), new nn.Linear(8, 2), new nn.LogSigmoid()),
  };

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(BUILD[name]())).toBe(r.repr);
  });

  it('PReLU holds one learned slope per channel, filled with init, under the key weight', () => {
    const s = golden.prelu_state as { keys: string[]; weight: FixtureTensor };
    const m = new nn.PReLU(3, 0.1);
    expect(Object.keys(m.stateDict())).toEqual(s.keys);
    expectClose(m.weight, s.weight, 0, 0, 'weight');
    const x = torch.randn(2, 3, 4);
    m(x).sum().backward();
    expect(m.weight.grad!.shape).toEqual([3]);
    expect(new nn.PReLU({ numParameters: 2, init: 0.5 }).weight.tolist()).toEqual([0.5, 0.5]);
  });

  it('modules compute what their functional forms do', () => {
    const x = torch.randn(2, 4, 3).mul(3);
    const pairs: [nn.Module, Tensor][] = [
      [new nn.ELU(0.5), F.elu(x, 0.5)],
      [new nn.CELU(2), F.celu(x, { alpha: 2 })],
      [new nn.SELU(), F.selu(x)],
      [new nn.Hardtanh(-2, 2), F.hardtanh(x, -2, 2)],
      [new nn.ReLU6(), F.relu6(x)],
      [new nn.Softplus(2, 5), F.softplus(x, { beta: 2, threshold: 5 })],
      [new nn.Threshold(0.5, -1), F.threshold(x, 0.5, -1)],
      [new nn.GLU(1), F.glu(x, 1)],
      [new nn.Softmin(2), F.softmin(x, 2)],
      [new nn.Softshrink(1), F.softshrink(x, { lambd: 1 })],
    ];
    for (const [m, expected] of pairs) expect((m(x) as Tensor).tolist()).toEqual(expected.tolist());
  });

  it('an inplace module writes into its input', () => {
    const x = torch.randn(5).mul(4);
    const expected = F.hardtanh(x, -1, 1).tolist();
    expect(new nn.Hardtanh(-1, 1, true)(x)).toBe(x);
    expect(x.tolist()).toEqual(expected);
  });
});
