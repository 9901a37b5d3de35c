import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import * as F from '../src/functional/index.js';
import { expectLikePyTorch, expectSameAs, keywordGolden as golden } from './keyword-golden.js';

// `nn.Linear(in_features=3, out_features=2)`, `nn.LSTM(input_size=3, hidden_size=4)`, `nn.BatchNorm2d(num_features=3)`,
// `nn.MultiheadAttention(embed_dim=4, num_heads=2)`: required arguments by keyword, as PyTorch programs write them.
// fixtures/gen_keyword_required.py.
describe('layers take their required arguments by keyword', () => {
  it('linear, embedding and bilinear', () => {
    expectLikePyTorch('linear', () => new nn.Linear({ inFeatures: 3, outFeatures: 2 }));
    expectLikePyTorch('linear_k', () => new nn.Linear(3, { outFeatures: 2, bias: false }));
    expectLikePyTorch('embedding', () => new nn.Embedding({ numEmbeddings: 10, embeddingDim: 3 }));
    expectLikePyTorch('embedding_pad', () => new nn.Embedding(10, { embeddingDim: 3, paddingIdx: 0 }));
    expectLikePyTorch('bilinear', () => new nn.Bilinear({ in1Features: 2, in2Features: 3, outFeatures: 4 }));
    expectSameAs(() => new nn.Bilinear(2, 3, { outFeatures: 4, bias: false }), () => new nn.Bilinear(2, 3, 4, false));
  });

  it('recurrent layers and cells', () => {
    expectLikePyTorch('lstm', () => new nn.LSTM({ inputSize: 3, hiddenSize: 4 }));
    expectLikePyTorch('gru', () => new nn.GRU(3, { hiddenSize: 4, numLayers: 2 }));
    expectLikePyTorch('rnn', () => new nn.RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' }));
    expectLikePyTorch('lstm_cell', () => new nn.LSTMCell({ inputSize: 3, hiddenSize: 4 }));
    expectLikePyTorch('gru_cell', () => new nn.GRUCell(3, { hiddenSize: 4 }));
    expectLikePyTorch('rnn_cell', () => new nn.RNNCell({ inputSize: 3, hiddenSize: 4, bias: false }));
    expectSameAs(() => new nn.LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }), () => new nn.LSTM(3, 4, 2, true, false, 0, true));
    expect(new nn.RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' }).nonlinearity).toBe('relu');
  });

  it('normalization layers', () => {
    expectLikePyTorch('batch_norm2d', () => new nn.BatchNorm2d({ numFeatures: 3 }));
    expectLikePyTorch('batch_norm1d', () => new nn.BatchNorm1d({ numFeatures: 3, momentum: 0.2 }));
    expectLikePyTorch('layer_norm', () => new nn.LayerNorm({ normalizedShape: [8] }));
    expectLikePyTorch('group_norm', () => new nn.GroupNorm({ numGroups: 1, numChannels: 3 }));
    expectLikePyTorch('instance_norm2d', () => new nn.InstanceNorm2d({ numFeatures: 3, affine: true }));
    expectSameAs(() => new nn.GroupNorm(2, { numChannels: 4, eps: 1e-3 }), () => new nn.GroupNorm(2, 4, 1e-3));
    const x = torch.randn(2, 3, 4, 4);
    expect(new nn.BatchNorm2d({ numFeatures: 3 }).forward(x).tolist()).toEqual(new nn.BatchNorm2d(3).forward(x).tolist());
  });

  it('attention and transformer layers', () => {
    expectLikePyTorch('mha', () => new nn.MultiheadAttention({ embedDim: 4, numHeads: 2 }));
    expectLikePyTorch('encoder_layer', () => new nn.TransformerEncoderLayer({ dModel: 4, nhead: 2, dimFeedforward: 8, dropout: 0 }));
    expectLikePyTorch('decoder_layer', () => new nn.TransformerDecoderLayer({ dModel: 4, nhead: 2, dimFeedforward: 8, dropout: 0 }));
    expectSameAs(() => new nn.MultiheadAttention(4, { numHeads: 2, kdim: 3 }), () => new nn.MultiheadAttention(4, 2, 0, true, false, false, 3));
    torch.manualSeed(0);
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    expectSameAs(() => new nn.TransformerEncoder(layer, { numLayers: 2 }), () => new nn.TransformerEncoder(layer, 2));
    expectSameAs(() => new nn.TransformerEncoder({ encoderLayer: layer, numLayers: 2 }), () => new nn.TransformerEncoder(layer, 2));
  });

  it('padding, pixel shuffle and unflatten', () => {
    expectLikePyTorch('zero_pad2d', () => new nn.ZeroPad2d({ padding: 1 }));
    expectLikePyTorch('constant_pad1d', () => new nn.ConstantPad1d({ padding: [1, 2], value: 3.5 }));
    expectLikePyTorch('reflection_pad2d', () => new nn.ReflectionPad2d({ padding: [1, 1, 2, 0] }));
    expectLikePyTorch('pixel_shuffle', () => new nn.PixelShuffle({ upscaleFactor: 2 }));
    expectLikePyTorch('unflatten', () => new nn.Unflatten({ dim: 1, unflattenedSize: [2, 3] }));
    const x = torch.randn(1, 2, 3);
    expect(new nn.ConstantPad1d(1, { value: 2 }).forward(x).tolist()).toEqual(new nn.ConstantPad1d(1, 2).forward(x).tolist());
    expect(() => new (nn.ConstantPad2d as unknown as new (...a: unknown[]) => unknown)(1)).toThrow(
      "ConstantPad2d.__init__() missing 1 required positional argument: 'value'",
    );
  });

  it("raises Python's TypeErrors", () => {
    const build = (cls: unknown, ...args: unknown[]) => () => new (cls as new (...a: unknown[]) => unknown)(...args);
    expect(build(nn.Linear)).toThrow(golden.errors.linear_missing);
    expect(build(nn.LSTM, { inputSize: 3 })).toThrow("LSTM() missing 1 required positional argument: 'hidden_size'");
    expect(build(nn.Embedding, 10, 3, { embeddingDim: 3 })).toThrow("Embedding.__init__() got multiple values for argument 'embedding_dim'");
    expect(build(nn.BatchNorm2d, {})).toThrow("BatchNorm2d.__init__() missing 1 required positional argument: 'num_features'");
    expect(build(nn.LayerNorm, { eps: 1e-3 })).toThrow("LayerNorm.__init__() missing 1 required positional argument: 'normalized_shape'");
    expect(build(nn.MultiheadAttention, { embedDim: 4, numHead: 2 })).toThrow("MultiheadAttention.__init__() got an unexpected keyword argument 'numHead'");
    expect(build(nn.TransformerDecoderLayer, 4)).toThrow("TransformerDecoderLayer.__init__() missing 1 required positional argument: 'nhead'");
  });
});

describe('functions take their optional arguments by keyword', () => {
  const same = (a: torch.Tensor, b: torch.Tensor) => expect(a.tolist()).toEqual(b.tolist());

  it("F.linear, F.bilinear, F.embedding, F.layerNorm, F.groupNorm and F.pad", () => {
    torch.manualSeed(0);
    const x = torch.randn(2, 4, 3);
    const w = torch.randn(5, 3);
    const b = torch.randn(5);
    same(F.linear(x, w, { bias: b }), F.linear(x, w, b));
    same(F.linear(x, w, { bias: null }), x.matmul(w.t()));
    const w3 = torch.randn(2, 3, 3);
    same(F.bilinear(x, x, w3, { bias: null }), F.bilinear(x, x, w3));
    const table = torch.randn(10, 3);
    same(F.embedding(torch.tensor([[1, 0]]), table, { paddingIdx: 0 }), F.embedding(torch.tensor([[1, 0]]), table, 0));
    const g = torch.randn(3);
    same(F.layerNorm(x, [3], { weight: g, eps: 1e-3 }), F.layerNorm(x, [3], g, null, 1e-3));
    same(F.groupNorm(x, 2, { eps: 1e-3 }), F.groupNorm(x, 2, null, null, 1e-3));
    same(F.pad(x, [1, 1], { mode: 'reflect' }), F.pad(x, [1, 1], 'reflect'));
    same(F.pad(x, [1, 2], { value: 3 }), F.pad(x, [1, 2], 'constant', 3));
    expect(() => F.pad(x, [1, 1], 'reflect', { mode: 'reflect' })).toThrow("pad() got multiple values for argument 'mode'");
    expect(() => F.linear(x, w, { weight: w } as never)).toThrow("linear() got an unexpected keyword argument 'weight'");
  });
});
