import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai chapters 9-10 (seq2seq, attention, multi-head attention, positional encoding) translated line by line, as a
// new user would; fixtures/gen_d2l_seq2seq_attention.py runs the originals on the same seeds with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-seq2seq-attention', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor, expected: number[], tol = 1e-5, label = ''): void {
  const got = actual.detach().reshape(-1).tolist() as number[];
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

function sequence_mask(X: Tensor, valid_len: Tensor, value = 0): Tensor {
  const maxlen = X.size(1);
  const mask = torch.arange(maxlen, { dtype: torch.float32, device: X.device }).index(null, ':').lt(valid_len.index(':', null));
  X.indexPut_([mask.logicalNot()], value); // X[~mask] = value
  return X;
}

function masked_softmax(X: Tensor, valid_lens: Tensor | null): Tensor {
  if (valid_lens === null) return nn.functional.softmax(X, { dim: -1 });
  const shape = X.shape;
  if (valid_lens.dim() === 1) valid_lens = torch.repeatInterleave(valid_lens, shape[1]);
  else valid_lens = valid_lens.reshape(-1);
  X = sequence_mask(X.reshape(-1, shape[shape.length - 1]), valid_lens, -1e6);
  return nn.functional.softmax(X.reshape(shape), { dim: -1 });
}

class MaskedSoftmaxCELoss extends nn.CrossEntropyLoss {
  override forward(pred: Tensor, label: Tensor, valid_len: Tensor): Tensor {
    let weights = torch.onesLike(label);
    weights = sequence_mask(weights, valid_len);
    this.reduction = 'none';
    const unweighted_loss = super.forward(pred.permute(0, 2, 1), label);
    return unweighted_loss.mul(weights).mean({ dim: 1 });
  }
}

class Seq2SeqEncoder extends nn.Module {
  embedding: torch.nn.Embedding;
  rnn: torch.nn.GRU;
  constructor(vocab_size: number, embed_size: number, num_hiddens: number, num_layers: number, dropout = 0) {
    super();
    this.embedding = new nn.Embedding(vocab_size, embed_size);
    this.rnn = new nn.GRU(embed_size, num_hiddens, num_layers, { dropout });
  }
  override forward(X: Tensor, ..._args: unknown[]): [Tensor, Tensor] {
    X = this.embedding(X);
    X = X.permute(1, 0, 2);
    const [output, state] = this.rnn(X);
    return [output, state];
  }
}

class Seq2SeqDecoder extends nn.Module {
  embedding: torch.nn.Embedding;
  rnn: torch.nn.GRU;
  dense: torch.nn.Linear;
  constructor(vocab_size: number, embed_size: number, num_hiddens: number, num_layers: number, dropout = 0) {
    super();
    this.embedding = new nn.Embedding(vocab_size, embed_size);
    this.rnn = new nn.GRU(embed_size + num_hiddens, num_hiddens, num_layers, { dropout });
    this.dense = new nn.Linear(num_hiddens, vocab_size);
  }
  init_state(enc_outputs: [Tensor, Tensor], ..._args: unknown[]): Tensor {
    return enc_outputs[1];
  }
  override forward(X: Tensor, state: Tensor): [Tensor, Tensor] {
    X = this.embedding(X).permute(1, 0, 2);
    const context = state.index(-1).repeat(X.shape[0], 1, 1);
    const X_and_context = torch.cat([X, context], 2);
    let output: Tensor;
    [output, state] = this.rnn(X_and_context, state);
    output = this.dense(output).permute(1, 0, 2);
    return [output, state];
  }
}

class EncoderDecoder extends nn.Module {
  constructor(public encoder: Seq2SeqEncoder, public decoder: Seq2SeqDecoder) {
    super();
  }
  override forward(enc_X: Tensor, dec_X: Tensor, ...args: unknown[]): [Tensor, Tensor] {
    const enc_outputs = this.encoder(enc_X, ...args);
    const dec_state = this.decoder.init_state(enc_outputs, ...args);
    return this.decoder(dec_X, dec_state);
  }
}

function xavier_init_weights(m: torch.nn.Module): void {
  if (m.constructor === nn.Linear) nn.init.xavierUniform_((m as torch.nn.Linear).weight);
  if (m instanceof nn.GRU) {
    for (const param of m._flatWeightsNames) if (param.includes('weight')) nn.init.xavierUniform_(m._parameters[param]);
  }
}

function grad_clipping(net: torch.nn.Module, theta: number): Tensor {
  const params = net.parameters().filter((p) => p.requiresGrad);
  const norm = torch.sqrt(params.map((p) => torch.sum(p.grad!.pow(2))).reduce((a, b) => a.add(b)));
  if (norm.item() > theta) for (const param of params) param.grad!.indexPut_([':'], param.grad!.mul(torch.div(theta, norm))); // param.grad[:] *= theta / norm
  return norm;
}

class AdditiveAttention extends nn.Module {
  W_k: torch.nn.Linear;
  W_q: torch.nn.Linear;
  w_v: torch.nn.Linear;
  dropout: torch.nn.Dropout;
  attention_weights: Tensor | null = null;
  constructor(key_size: number, query_size: number, num_hiddens: number, dropout: number) {
    super();
    this.W_k = new nn.Linear(key_size, num_hiddens, { bias: false });
    this.W_q = new nn.Linear(query_size, num_hiddens, { bias: false });
    this.w_v = new nn.Linear(num_hiddens, 1, { bias: false });
    this.dropout = new nn.Dropout(dropout);
  }
  override forward(queries: Tensor, keys: Tensor, values: Tensor, valid_lens: Tensor): Tensor {
    [queries, keys] = [this.W_q(queries), this.W_k(keys)];
    const features = torch.tanh(queries.unsqueeze(2).add(keys.unsqueeze(1)));
    const scores = this.w_v(features).squeeze(-1);
    this.attention_weights = masked_softmax(scores, valid_lens);
    return torch.bmm(this.dropout(this.attention_weights), values);
  }
}

class DotProductAttention extends nn.Module {
  dropout: torch.nn.Dropout;
  attention_weights: Tensor | null = null;
  constructor(dropout: number) {
    super();
    this.dropout = new nn.Dropout(dropout);
  }
  override forward(queries: Tensor, keys: Tensor, values: Tensor, valid_lens: Tensor | null = null): Tensor {
    const d = queries.shape[queries.shape.length - 1];
    const scores = torch.bmm(queries, keys.transpose(1, 2)).div(Math.sqrt(d));
    this.attention_weights = masked_softmax(scores, valid_lens);
    return torch.bmm(this.dropout(this.attention_weights), values);
  }
}

function transpose_qkv(X: Tensor, num_heads: number): Tensor {
  X = X.reshape(X.shape[0], X.shape[1], num_heads, -1);
  X = X.permute(0, 2, 1, 3);
  return X.reshape(-1, X.shape[2], X.shape[3]);
}

function transpose_output(X: Tensor, num_heads: number): Tensor {
  X = X.reshape(-1, num_heads, X.shape[1], X.shape[2]);
  X = X.permute(0, 2, 1, 3);
  return X.reshape(X.shape[0], X.shape[1], -1);
}

class MultiHeadAttention extends nn.Module {
  attention: DotProductAttention;
  W_q: torch.nn.Linear;
  W_k: torch.nn.Linear;
  W_v: torch.nn.Linear;
  W_o: torch.nn.Linear;
  constructor(key_size: number, query_size: number, value_size: number, num_hiddens: number, public num_heads: number, dropout: number, bias = false) {
    super();
    this.attention = new DotProductAttention(dropout);
    this.W_q = new nn.Linear(query_size, num_hiddens, { bias });
    this.W_k = new nn.Linear(key_size, num_hiddens, { bias });
    this.W_v = new nn.Linear(value_size, num_hiddens, { bias });
    this.W_o = new nn.Linear(num_hiddens, num_hiddens, { bias });
  }
  override forward(queries: Tensor, keys: Tensor, values: Tensor, valid_lens: Tensor | null): Tensor {
    queries = transpose_qkv(this.W_q(queries), this.num_heads);
    keys = transpose_qkv(this.W_k(keys), this.num_heads);
    values = transpose_qkv(this.W_v(values), this.num_heads);
    if (valid_lens !== null) valid_lens = torch.repeatInterleave(valid_lens, { repeats: this.num_heads, dim: 0 });
    const output = this.attention(queries, keys, values, valid_lens);
    return this.W_o(transpose_output(output, this.num_heads));
  }
}

class PositionalEncoding extends nn.Module {
  dropout: torch.nn.Dropout;
  P: Tensor;
  constructor(num_hiddens: number, dropout: number, max_len = 1000) {
    super();
    this.dropout = new nn.Dropout(dropout);
    this.P = torch.zeros([1, max_len, num_hiddens]);
    const X = torch
      .arange(max_len, { dtype: torch.float32 })
      .reshape(-1, 1)
      .div(torch.pow(10000, torch.arange(0, num_hiddens, 2, { dtype: torch.float32 }).div(num_hiddens)));
    this.P.indexPut_([':', ':', '0::2'], torch.sin(X)); // self.P[:, :, 0::2] = torch.sin(X)
    this.P.indexPut_([':', ':', '1::2'], torch.cos(X));
  }
  override forward(X: Tensor): Tensor {
    X = X.add(this.P.index(':', `:${X.shape[1]}`, ':').to(X.device));
    return this.dropout(X);
  }
}

describe('d2l seq2seq and attention, translated', () => {
  it('masks sequences and softmaxes, and weighs the cross-entropy by the valid lengths', () => {
    torch.manualSeed(0);
    expect(sequence_mask(torch.tensor([[1, 2, 3], [4, 5, 6]]), torch.tensor([1, 2])).tolist()).toEqual(golden.sequence_mask);
    expectClose(sequence_mask(torch.ones(2, 3, 4), torch.tensor([1, 2]), -1), golden.sequence_mask_3d);
    expectClose(masked_softmax(torch.rand(2, 2, 4), torch.tensor([2, 3])), golden.masked_softmax_1d);
    expectClose(masked_softmax(torch.rand(2, 2, 4), torch.tensor([[1, 3], [2, 4]])), golden.masked_softmax_2d);
    const loss = new MaskedSoftmaxCELoss();
    expectClose(loss(torch.ones(3, 4, 10), torch.ones([3, 4], { dtype: torch.long }), torch.tensor([4, 2, 0])), golden.masked_ce);
  });

  it("trains the GRU encoder-decoder as PyTorch does and predicts its tokens", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const net = new EncoderDecoder(new Seq2SeqEncoder(12, 8, 16, 2, 0.1), new Seq2SeqDecoder(12, 8, 16, 2, 0.1));
    net.apply(xavier_init_weights);
    expectClose(net.encoder.rnn.weight_hh_l1.index(':2'), golden.init_weight_hh_l1);
    const optimizer = new torch.optim.Adam(net.parameters(), { lr: 0.005 });
    const loss = new MaskedSoftmaxCELoss();
    net.train();
    const src = torch.randint(0, 12, [4, 6]);
    const tgt = torch.randint(0, 12, [4, 6]);
    expect([src.tolist(), tgt.tolist()]).toEqual([golden.src, golden.tgt]);
    const valid = torch.tensor([6, 5, 3, 2]);
    const bos = torch.tensor(new Array(tgt.shape[0]).fill(1)).reshape(-1, 1);
    const losses: number[] = [];
    const norms: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      optimizer.zeroGrad();
      const dec_input = torch.cat([bos, tgt.index(':', ':-1')], 1);
      const [Y_hat] = net(src, dec_input, valid);
      const l = loss(Y_hat, tgt, valid);
      l.sum().backward();
      norms.push(grad_clipping(net, 1).item());
      optimizer.step();
      losses.push(l.sum().div(valid.sum()).item());
    }
    losses.forEach((l, i) => expect(l).toBeCloseTo(golden.losses[i], 4));
    norms.forEach((n, i) => expect(n).toBeCloseTo(golden.norms[i], 4));
    net.eval();
    const enc_X = torch.unsqueeze(torch.tensor([3, 4, 5, 2, 0, 0], { dtype: torch.long }), { dim: 0 });
    let dec_state = net.decoder.init_state(net.encoder(enc_X, torch.tensor([4])), torch.tensor([4]));
    let dec_X = torch.unsqueeze(torch.tensor([1], { dtype: torch.long }), { dim: 0 });
    const output_seq: number[] = [];
    for (let i = 0; i < 5; i++) {
      let Y: Tensor;
      [Y, dec_state] = net.decoder(dec_X, dec_state);
      dec_X = Y.argmax({ dim: 2 });
      output_seq.push(dec_X.squeeze({ dim: 0 }).type(torch.int32).item());
    }
    expect(output_seq).toEqual(golden.prediction);
    expectClose(dec_state, golden.final_state, 1e-4);
  });

  it('attends: additive, multi-head (repeat_interleave by keyword) and the positional encoding', () => {
    torch.manualSeed(2);
    const [queries, keys] = [torch.normal(0, 1, [2, 1, 20]), torch.ones([2, 10, 2])];
    const values = torch.arange(40, { dtype: torch.float32 }).reshape(1, 10, 4).repeat(2, 1, 1);
    const additive = new AdditiveAttention(2, 20, 8, 0.1);
    additive.eval();
    expectClose(additive(queries, keys, values, torch.tensor([2, 6])), golden.additive);
    expectClose(additive.attention_weights!, golden.additive_weights);
    const attention = new MultiHeadAttention(20, 20, 20, 20, 5, 0.5);
    attention.eval();
    const [X, Y] = [torch.randn([2, 4, 20]), torch.randn([2, 6, 20])];
    const mha = attention(X, Y, Y, torch.tensor([3, 2]));
    expectClose(mha, golden.mha);
    mha.sum().backward();
    expectClose(attention.W_q.weight.grad!.index(':2'), golden.mha_grad_W_q, 1e-4);
    const pos_encoding = new PositionalEncoding(8, 0);
    pos_encoding.eval();
    expectClose(pos_encoding(torch.zeros([1, 6, 8])), golden.positional);
    expectClose(pos_encoding.P.index(0, '-2:'), golden.P_tail, 1e-4);
  });
});
