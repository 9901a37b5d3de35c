import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, expectExact, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { buildModule, camelName, camelOptions, INIT_MODULES, REPR_MODULES, TransformerModel, type Ctor } from './attention-builders.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_attention.py writes test/fixtures/nn-attention.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-attention', new URL('./fixtures/', import.meta.url));

type StateEntries = [string, FixtureTensor][];

interface SdpaCase {
  inputs: FixtureTensor[];
  attn_mask: FixtureTensor | null;
  dropout_p: number;
  is_causal: boolean;
  seed: number | null;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: FixtureTensor[];
}

interface ModuleCase {
  name: string;
  module: string;
  ctor: Ctor | null;
  state: StateEntries;
  training: boolean;
  seed: number | null;
  inputs: Record<string, FixtureTensor>;
  shared: 'qkv' | 'kv' | null;
  forward: Record<string, unknown>;
  output: FixtureTensor;
  weights: FixtureTensor | null;
  upstream: FixtureTensor;
  upstream_weights: FixtureTensor | null;
  grads: { inputs: Record<string, FixtureTensor>; params: Record<string, FixtureTensor> };
}

const stateDict = (entries: StateEntries): Record<string, Tensor> => Object.fromEntries(entries.map(([k, t]) => [k, fromFixture(t)]));

describe('F.scaledDotProductAttention against PyTorch 2.0\'s formula', () => {
  const cases = golden.sdpa as SdpaCase[];

  it.each(cases.map((c, i) => [`${i} ${c.inputs.map((t) => `[${t.shape}]`).join(' ')} causal=${c.is_causal} p=${c.dropout_p}`, c] as const))(
    '%s: output and gradients',
    (_, c) => {
      const [q, k, v] = c.inputs.map((t) => fromFixture(t, true));
      if (c.seed !== null) torch.manualSeed(c.seed);
      const mask = c.attn_mask ? fromFixture(c.attn_mask) : null;
      const out = F.scaledDotProductAttention(q, k, v, mask, c.dropout_p, c.is_causal);
      expectClose(out, c.output, 1e-4, 1e-5, 'output');
      out.mul(fromFixture(c.upstream)).sum().backward();
      [q, k, v].forEach((x, i) => expectClose(x.grad!, c.grads[i], 1e-4, 1e-5, `grad ${i}`));
    },
  );

  it('takes the options object and checks it', () => {
    const [q, k, v] = [torch.randn(2, 3, 4), torch.randn(2, 3, 4), torch.randn(2, 3, 4)];
    const positional = F.scaledDotProductAttention(q, k, v, null, 0, true);
    expect(F.scaledDotProductAttention(q, k, v, { isCausal: true }).tolist()).toEqual(positional.tolist());
    expect(() => F.scaledDotProductAttention(q, k, v, { scale: 1 } as never)).toThrow(
      "scaled_dot_product_attention() got an unexpected keyword argument 'scale'",
    );
    expect(() => F.scaledDotProductAttention(q, k, v, { attnMask: torch.ones(3, 3), isCausal: true })).toThrow(
      '_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True',
    );
  });
});

interface FunctionalCase {
  name: string;
  embed_dim: number;
  num_heads: number;
  tensors: Record<string, FixtureTensor | null>;
  kwargs: Record<string, unknown>;
  output: FixtureTensor;
  weights: FixtureTensor | null;
  upstream: FixtureTensor;
  upstream_weights: FixtureTensor | null;
  grads: Record<string, FixtureTensor | null>;
}

describe('F.multiHeadAttentionForward against PyTorch 1.13', () => {
  it.each((golden.functional as FunctionalCase[]).map((c) => [c.name, c] as const))('%s: output, weights and gradients', (_, c) => {
    const t: Record<string, Tensor | null> = Object.fromEntries(
      Object.entries(c.tensors).map(([name, value]) => [name, value ? fromFixture(value, true) : null]),
    );
    const keywordTensors = ['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'static_k', 'static_v'].filter((name) => name in t);
    const options = { ...camelOptions(c.kwargs), ...Object.fromEntries(keywordTensors.map((name) => [camelName(name), t[name]])) };
    const [output, weights] = F.multiHeadAttentionForward(
      t.query!, t.key!, t.value!, c.embed_dim, c.num_heads, t.in_proj_weight, t.in_proj_bias, null, null, false, 0,
      t.out_proj_weight!, t.out_proj_bias, options,
    );
    expectClose(output, c.output, 1e-4, 1e-5, 'output');
    if (c.weights) expectClose(weights!, c.weights, 1e-4, 1e-5, 'weights');
    else expect(weights).toBeNull();
    let loss = output.mul(fromFixture(c.upstream)).sum();
    if (weights && c.upstream_weights) loss = loss.add(weights.mul(fromFixture(c.upstream_weights)).sum());
    loss.backward();
    for (const [name, grad] of Object.entries(c.grads)) {
      if (grad) expectClose(t[name]!.grad!, grad, 1e-4, 1e-5, `grad ${name}`);
      else expect(t[name]!.grad, `grad ${name}`).toBeNull();
    }
  });
});

describe('attention and Transformer modules against PyTorch 1.13', () => {
  const cases = golden.modules as ModuleCase[];

  it.each(cases.map((c) => [`${c.module} ${c.name}`, c] as const))('%s: output, weights and gradients', (_, c) => {
    const module = buildModule(c.module, c.ctor);
    module.loadStateDict(stateDict(c.state));
    module.train(c.training);
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, t]) => [name, fromFixture(t, true)]));
    const options = camelOptions(c.forward);
    let output: Tensor;
    let weights: Tensor | null = null;
    if (c.seed !== null) torch.manualSeed(c.seed);
    if (c.module === 'MultiheadAttention') {
      const query = inputs.query;
      const key = c.shared === 'qkv' ? query : inputs.key;
      const value = c.shared ? key : inputs.value;
      [output, weights] = (module as nn.MultiheadAttention)(query, key, value, options);
    } else {
      output = (module as unknown as (...args: unknown[]) => Tensor)(...Object.values(inputs), options);
    }
    expectClose(output, c.output, 1e-4, 1e-5, 'output');
    if (c.weights) expectClose(weights!, c.weights, 1e-4, 1e-5, 'weights');
    else expect(weights).toBeNull();

    let loss = output.mul(fromFixture(c.upstream)).sum();
    if (weights && c.upstream_weights) loss = loss.add(weights.mul(fromFixture(c.upstream_weights)).sum());
    loss.backward();
    for (const [name, grad] of Object.entries(c.grads.inputs)) expectClose(inputs[name].grad!, grad, 1e-4, 1e-5, `grad ${name}`);
    const params = Object.fromEntries(module.namedParameters());
    expect(Object.keys(params)).toEqual(Object.keys(c.grads.params));
    for (const [name, grad] of Object.entries(c.grads.params)) expectClose(params[name].grad!, grad, 1e-4, 1e-5, `grad ${name}`);
  });

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(REPR_MODULES[name]())).toBe(r.repr);
  });

  it.each((golden.init as { name: string; seed: number; state: StateEntries; next: FixtureTensor }[]).map((r) => [r.name, r] as const))(
    'builds %s from the seeded stream as PyTorch does: state_dict keys, values and the draws used',
    (name, r) => {
      torch.manualSeed(r.seed);
      const module = INIT_MODULES[name]();
      const state = module.stateDict();
      expect(Object.keys(state)).toEqual(r.state.map(([key]) => key));
      for (const [key, expected] of r.state) expectExact(state[key], expected, key);
      expectExact(torch.rand(4), r.next, 'the next draw');
    },
  );

  const ERRORS: Record<string, () => unknown> = {
    mha_embed_divisible: () => new nn.MultiheadAttention(7, 2),
    mha_query_4d: () => selfAttend(new nn.MultiheadAttention(8, 2), [2, 3, 4, 8]),
    mha_key_2d: () => new nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), torch.randn(5, 8), torch.randn(5, 8)),
    mha_embed_mismatch: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 2, 6]),
    mha_key_value_shape: () => new nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), torch.randn(5, 2, 8), torch.randn(4, 2, 8)),
    mha_mask_2d_shape: () => crossAttend({ attnMask: torch.zeros(3, 4) }),
    mha_mask_3d_shape: () => crossAttend({ attnMask: torch.zeros(2, 3, 5) }),
    mha_mask_4d: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 2, 8], { attnMask: torch.zeros(1, 4, 3, 3) }),
    mha_mask_dtype: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 2, 8], { attnMask: torch.zeros([3, 3], { dtype: 'int64' }) }),
    mha_padding_dtype: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 2, 8], { keyPaddingMask: torch.zeros([2, 3], { dtype: 'int64' }) }),
    mha_padding_shape: () => crossAttend({ keyPaddingMask: torch.zeros([2, 4], { dtype: 'bool' }) }),
    mha_unbatched_padding_2d: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 8], { keyPaddingMask: torch.zeros([1, 3], { dtype: 'bool' }) }),
    mha_unbatched_mask_3d_shape: () => selfAttend(new nn.MultiheadAttention(8, 2), [3, 8], { attnMask: torch.zeros(4, 3, 3) }),
    encoder_layer_activation: () => new nn.TransformerEncoderLayer(8, 2, 16, { activation: 'tanh' as 'relu' }),
    transformer_batch: () => new nn.Transformer(8, 2, 1, 1, 16)(torch.randn(5, 2, 8), torch.randn(4, 3, 8)),
    transformer_features: () => new nn.Transformer(8, 2, 1, 1, 16)(torch.randn(5, 2, 8), torch.randn(4, 2, 6)),
  };

  it.each(Object.entries(golden.errors as Record<string, string>))('raises PyTorch\'s error for %s', (name, message) => {
    expect(() => ERRORS[name]()).toThrow(message);
  });

  it('trains the tutorial\'s language model to PyTorch\'s losses, dropout on', () => {
    const t = golden.tutorial;
    const { ntoken, d_model, nhead, d_hid, nlayers, dropout, max_len } = t.config;
    torch.manualSeed(t.seed);
    const model = new TransformerModel(ntoken, d_model, nhead, d_hid, nlayers, dropout, max_len);
    const initial = model.stateDict();
    expect(Object.keys(initial)).toEqual((t.initial as StateEntries).map(([key]) => key));
    // The positional table goes through exp, sin and cos: equal to float32 rounding, not bit for bit.
    for (const [key, expected] of t.initial as StateEntries) {
      if (key === 'pos_encoder.pe') expectClose(initial[key], expected, 1e-5, 1e-6, key);
      else expectExact(initial[key], expected, key);
    }
    model.loadStateDict(stateDict(t.initial));

    const data = fromFixture(t.data);
    const targets = fromFixture(t.targets);
    const mask = nn.Transformer.generateSquareSubsequentMask(data.shape[0]);
    model.train();
    torch.manualSeed(t.train_seed);
    const losses: number[] = [];
    for (let step = 0; step < t.steps; step++) {
      model.zeroGrad();
      const output = model(data, mask);
      const loss = F.crossEntropy(output.view([-1, ntoken]), targets);
      loss.backward();
      // Plain SGD, as optim.SGD steps (nn sits below optim).
      torch.noGrad(() => model.parameters().forEach((p) => p.add_(p.grad!, { alpha: -t.lr })));
      losses.push(loss.item());
    }
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(t.losses[i], 4));
    const after = model.stateDict();
    for (const [key, expected] of Object.entries(t.after as Record<string, FixtureTensor>)) expectClose(after[key], expected, 1e-3, 1e-5, key);
  });
});

function selfAttend(module: nn.MultiheadAttention, shape: number[], options: nn.MultiheadAttentionForwardOptions = {}): unknown {
  const x = torch.randn(shape);
  return module(x, x, x, options);
}

function crossAttend(options: nn.MultiheadAttentionForwardOptions): unknown {
  return new nn.MultiheadAttention(8, 2)(torch.randn(3, 2, 8), torch.randn(5, 2, 8), torch.randn(5, 2, 8), options);
}

describe('attention and Transformer modules: API', () => {
  it('generates the square subsequent mask: -inf above the diagonal, 0 elsewhere', () => {
    const mask = nn.Transformer.generateSquareSubsequentMask(3);
    expect(mask.dtype).toBe('float32');
    expect(mask.tolist()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });

  it('takes PyTorch\'s positional arguments and rejects unknown keywords', () => {
    const mha = new nn.MultiheadAttention(8, 2, 0.0, true, false, false, 3, 5, true);
    expect([mha.kdim, mha.vdim, mha.batchFirst, mha._qkvSameEmbedDim]).toEqual([3, 5, true, false]);
    expect(Object.keys(mha.stateDict())).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    const q = torch.randn(2, 4, 8);
    const [out, weights] = mha(q, torch.randn(2, 5, 3), torch.randn(2, 5, 5), null, false);
    expect(out.shape).toEqual([2, 4, 8]);
    expect(weights).toBeNull();
    const layer = new nn.TransformerEncoderLayer(8, 2, 16, 0.0, 'gelu');
    expect([layer.linear1.outFeatures, layer.activationReluOrGelu, layer.self_attn.dropout]).toEqual([16, 2, 0]);
    expect(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow("MultiheadAttention.__init__() got an unexpected keyword argument 'batch_first'");
    expect(() => mha(q, q, q, { need_weights: false } as never)).toThrow("MultiheadAttention.forward() got an unexpected keyword argument 'need_weights'");
    expect(() => new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 4 } as never)).toThrow(
      "TransformerEncoderLayer.__init__() got an unexpected keyword argument 'dim_feedforward'",
    );
    expect(() => new nn.TransformerEncoder(layer, 2, { numLayers: 2 } as never)).toThrow("TransformerEncoder.__init__() got multiple values for argument 'num_layers'");
    expect(() => layer(torch.randn(3, 2, 8), { mask: null } as never)).toThrow("TransformerEncoderLayer.forward() got an unexpected keyword argument 'mask'");
  });

  it('treats isCausal as a hint: the mask is required and is what is applied', () => {
    const mha = new nn.MultiheadAttention(8, 2);
    const x = torch.randn(4, 2, 8);
    const mask = nn.Transformer.generateSquareSubsequentMask(4);
    const [hinted] = mha(x, x, x, { attnMask: mask, isCausal: true });
    const [plain] = mha(x, x, x, { attnMask: mask });
    expect(hinted.tolist()).toEqual(plain.tolist());
    expect(() => mha(x, x, x, { isCausal: true })).toThrow('Need attn_mask if specifying the is_causal hint.');
  });

  it('stacks deep copies: same starting weights, separate parameters, no random draws', () => {
    torch.manualSeed(0);
    const layer = new nn.TransformerEncoderLayer(8, 2, 16);
    const before = torch.getRngState();
    const encoder = new nn.TransformerEncoder(layer, 2);
    expect(torch.getRngState()).toEqual(before);
    const [first, second] = [...encoder.layers] as nn.TransformerEncoderLayer[];
    expect(first).toBeInstanceOf(nn.TransformerEncoderLayer);
    expect(first).not.toBe(layer);
    expect(first.self_attn.in_proj_weight).not.toBe(second.self_attn.in_proj_weight);
    expect(first.self_attn.in_proj_weight!.tolist()).toEqual(layer.self_attn.in_proj_weight!.tolist());
    expect(second.linear2.bias!.tolist()).toEqual(layer.linear2.bias!.tolist());
    expect(first.self_attn.in_proj_weight!.requiresGrad).toBe(true);
    torch.noGrad(() => first.linear1.weight.fill_(1));
    expect(second.linear1.weight.tolist()).toEqual(layer.linear1.weight.tolist());
    expect(first.activation).toBe(layer.activation);
    encoder.eval();
    expect([first.training, second.dropout1.training, layer.training]).toEqual([false, false, true]);
    const y = encoder(torch.randn(3, 2, 8));
    expect(y.shape).toEqual([3, 2, 8]);
  });

  it('runs unbatched and batch-first inputs through the Transformer', () => {
    const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true });
    model.eval();
    const src = torch.randn(2, 5, 8);
    const tgt = torch.randn(2, 3, 8);
    expect(model(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(3) }).shape).toEqual([2, 3, 8]);
    const single = model(src.select(0, 1), tgt.select(0, 1));
    expect(single.shape).toEqual([3, 8]);
    const fromBatch = Array.from(model(src, tgt).select(0, 1).contiguous().dataSync() as Float32Array);
    expectClose(single, { shape: [3, 8], dtype: 'float32', data: fromBatch }, 1e-5, 1e-6, 'unbatched');
  });
});
