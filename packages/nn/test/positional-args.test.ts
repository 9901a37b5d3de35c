import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `nn.Linear(3, 2, False)`, `nn.Embedding(10, 3, 0)` and `nn.LayerNorm(4, 0.5, False)`: PyTorch takes bias,
// padding_idx, eps and elementwise_affine by position. Each was read as an (empty) options object: the Linear kept a
// bias, the Embedding had no padding row, the LayerNorm kept eps 1e-5 and its parameters, without a word.
// fixtures/gen_positional_args.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('positional-args', new URL('./fixtures/', import.meta.url));

describe('module constructors take PyTorch positional arguments', () => {
  it('Linear(in, out, bias)', () => {
    torch.manualSeed(0);
    const l = new nn.Linear(3, 2, false);
    expect(l.bias).toBeNull();
    expect(l.parameters().length).toBe(golden.linear_no_bias.n_params);
    expect(String(l)).toBe(golden.linear_no_bias.repr);
    (l.weight.flatten().tolist() as number[]).forEach((w, i) => expect(w).toBeCloseTo(golden.linear_no_bias.weight[i], 6));
    expect(() => new nn.Linear(3, 2, false, { bias: true })).toThrow("Linear.__init__() got multiple values for argument 'bias'");
    expect(() => new nn.Linear(3, 2, { foo: 1 } as never)).toThrow("Linear.__init__() got an unexpected keyword argument 'foo'");
  });

  it('Embedding(num, dim, padding_idx)', () => {
    torch.manualSeed(0);
    const e = new nn.Embedding(10, 3, 0);
    expect(e.paddingIdx).toBe(golden.embedding_pad.padding_idx);
    expect(e.weight.index(0).tolist()).toEqual(golden.embedding_pad.row0);
    (e.weight.index(1).tolist() as number[]).forEach((w, i) => expect(w).toBeCloseTo(golden.embedding_pad.row1[i], 6));
    expect(String(e)).toBe(golden.embedding_pad.repr);
    expect(new nn.Embedding(10, 3, -1).paddingIdx).toBe(golden.embedding_neg_pad.padding_idx);
    expect(() => new nn.Embedding(10, 3, 0, { paddingIdx: 1 })).toThrow("Embedding.__init__() got multiple values for argument 'padding_idx'");
    expect(() => new (nn.Embedding as unknown as new (...a: unknown[]) => unknown)(10, 3, 0, 1.0)).toThrow(TypeError); // max_norm: unsupported
  });

  it('LayerNorm(shape, eps, elementwise_affine)', () => {
    const ln = new nn.LayerNorm(4, 0.5, false);
    expect(String(ln)).toBe(golden.layer_norm.repr);
    expect(ln.parameters().length).toBe(golden.layer_norm.n_params);
    const out = ln.forward(torch.tensor(golden.layer_norm.x, { dtype: 'float32' })).tolist() as number[][];
    out.flat().forEach((v, i) => expect(v).toBeCloseTo(golden.layer_norm.out.flat()[i], 5));
    expect(() => new nn.LayerNorm(4, 0.5, { eps: 1e-3 })).toThrow("LayerNorm.__init__() got multiple values for argument 'eps'");
  });
});
