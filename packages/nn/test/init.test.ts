import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import { init, Linear, ReLU, Sequential, type Module } from '../src/index.js';
import { expectExact, loadFixture, loadNnExtra, type FixtureTensor } from './fixtures.js';

interface InitCase {
  seed: number;
  module: string;
  in?: number;
  out?: number;
  state: Record<string, FixtureTensor>;
}

function build(c: InitCase): Module {
  if (c.module === 'Linear') return new Linear(c.in!, c.out!);
  if (c.module === 'Sequential(Linear(4,8),ReLU(),Linear(8,3))') return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
  throw new Error(`no Descent spelling for ${c.module}`);
}

describe('init.json: Linear and Sequential initialization is bit-for-bit PyTorch', () => {
  const cases: InitCase[] = loadFixture('init').cases;
  cases.forEach((c) => {
    it(`${c.module} ${c.in ?? ''}x${c.out ?? ''} seed ${c.seed}`, () => {
      torch.manualSeed(c.seed);
      const state = build(c).stateDict();
      expect(Object.keys(state)).toEqual(Object.keys(c.state));
      for (const [name, expected] of Object.entries(c.state)) expectExact(state[name], expected, name);
    });
  });
});

type Initializer = (t: torch.Tensor) => unknown;

const INITIALIZERS: Record<string, Initializer> = {
  kaiming_uniform: (t) => init.kaimingUniform_(t),
  kaiming_uniform_relu_fan_out: (t) => init.kaimingUniform_(t, { mode: 'fan_out', nonlinearity: 'relu' }),
  kaiming_uniform_a: (t) => init.kaimingUniform_(t, Math.sqrt(5)),
  kaiming_normal: (t) => init.kaimingNormal_(t),
  kaiming_normal_small: (t) => init.kaimingNormal_(t, 0, 'fan_in', 'relu'),
  xavier_uniform: (t) => init.xavierUniform_(t),
  xavier_uniform_tanh: (t) => init.xavierUniform_(t, init.calculateGain('tanh')),
  xavier_normal: (t) => init.xavierNormal_(t),
  xavier_normal_small: (t) => init.xavierNormal_(t),
  uniform: (t) => init.uniform_(t, -2, 3),
  normal: (t) => init.normal_(t, 1, 0.5),
  constant: (t) => init.constant_(t, 0.7),
  ones: (t) => init.ones_(t),
  zeros: (t) => init.zeros_(t),
  eye: (t) => init.eye_(t),
};

/** The stream case calls each initializer with its defaults. */
const STREAM_CALLS: Record<string, Initializer> = {
  xavier_uniform: (t) => init.xavierUniform_(t),
  kaiming_normal: (t) => init.kaimingNormal_(t),
  normal: (t) => init.normal_(t),
  kaiming_uniform: (t) => init.kaimingUniform_(t),
};

describe('nn.init against PyTorch (nn-extra.json)', () => {
  const extra = loadNnExtra();

  (extra.init as { name: string; seed: number; shape: number[]; out: FixtureTensor }[]).forEach((c) => {
    it(`${c.name} ${JSON.stringify(c.shape)} seed ${c.seed}`, () => {
      torch.manualSeed(c.seed);
      const t = torch.empty(c.shape);
      const result = INITIALIZERS[c.name](t);
      expect(result).toBe(t);
      expectExact(t, c.out, c.name);
    });
  });

  it('continues one stream across initializers', () => {
    for (const stream of extra.init_stream as { seed: number; calls: { name: string; shape: number[]; out: FixtureTensor }[] }[]) {
      torch.manualSeed(stream.seed);
      for (const call of stream.calls) {
        const t = torch.empty(call.shape);
        STREAM_CALLS[call.name](t);
        expectExact(t, call.out, call.name);
      }
    }
  });

  it('calculateGain matches PyTorch', () => {
    for (const g of extra.gains as { nonlinearity: init.Nonlinearity; param: number | null; gain: number }[]) {
      expect(init.calculateGain(g.nonlinearity, g.param)).toBe(g.gain);
    }
    expect(() => init.calculateGain('swish' as init.Nonlinearity)).toThrow('Unsupported nonlinearity swish');
  });

  it('draws from a given generator instead of the default one', () => {
    const c = (extra.init as { name: string; seed: number; out: FixtureTensor; shape: number[] }[]).find(
      (k) => k.name === 'kaiming_normal' && k.seed === 7,
    )!;
    torch.manualSeed(123);
    const before = torch.getRngState();
    const t = torch.empty(c.shape);
    init.kaimingNormal_(t, { generator: new torch.Generator(7) });
    expectExact(t, c.out);
    expect(torch.getRngState()).toEqual(before);
  });

  it('computes fans like PyTorch and rejects 1-D tensors', () => {
    expect(init.calculateFanInAndFanOut(torch.empty(6, 3, 2, 2))).toEqual([12, 24]);
    expect(() => init.xavierUniform_(torch.empty(4))).toThrow(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    );
    expect(() => init.kaimingUniform_(torch.empty(2, 2), { mode: 'fan_avg' as init.FanMode })).toThrow('Mode fan_avg not supported');
  });

  it('runs without recording gradients, so parameters can be initialized in place', () => {
    const w = torch.empty(3, 3, { requiresGrad: true });
    init.xavierUniform_(w);
    expect(w.isLeaf).toBe(true);
    expect(w.gradFn).toBeNull();
    expect(init.zeros_(w).sum().item()).toBe(0);
  });
});
