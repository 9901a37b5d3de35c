import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 15.8 (BERT) translated line by line: get_tokens_and_segments, BERTEncoder (transformer encoder blocks with
// dropout, an nn.Parameter positional embedding read through `.data`), MaskLM, NextSentencePred and BERTModel, a few
// pretraining steps with Adam; fixtures/gen_d2l_nlp.py runs the originals with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-nlp', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

function get_tokens_and_segments(tokens_a: string[], tokens_b: string[] | null = null): [string[], number[]] {
  let tokens = ['<cls>', ...tokens_a, '<sep>'];
  let segments = new Array<number>(tokens_a.length + 2).fill(0);
  if (tokens_b !== null) {
    tokens = [...tokens, ...tokens_b, '<sep>'];
    segments = [...segments, ...new Array<number>(tokens_b.length + 1).fill(1)];
  }
  return [tokens, segments];
}

function sequence_mask(X: Tensor, valid_len: Tensor, value = 0): Tensor {
  const maxlen = X.size(1);
  const mask = torch.arange(maxlen, { dtype: torch.float32, device: X.device }).index(null, ':').lt(valid_len.index(':', null));
  X.indexPut_([mask.logicalNot()], value);
  return X;
}

function masked_softmax(X: Tensor, valid_lens: Tensor | null): Tensor {
  if (valid_lens === null) return nn.functional.softmax(X, { dim: -1 });
  const shape = X.shape;
  valid_lens = valid_lens.dim() === 1 ? torch.repeatInterleave(valid_lens, shape[1]) : valid_lens.reshape(-1);
  X = sequence_mask(X.reshape(-1, shape[shape.length - 1]), valid_lens, -1e6);
  return nn.functional.softmax(X.reshape(shape), { dim: -1 });
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
  X = X.reshape(X.shape[0], X.shape[1], num_heads, -1).permute(0, 2, 1, 3);
  return X.reshape(-1, X.shape[2], X.shape[3]);
}

function transpose_output(X: Tensor, num_heads: number): Tensor {
  X = X.reshape(-1, num_heads, X.shape[1], X.shape[2]).permute(0, 2, 1, 3);
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

class PositionWiseFFN extends nn.Module {
  dense1: torch.nn.Linear;
  relu: torch.nn.ReLU;
  dense2: torch.nn.Linear;
  constructor(ffn_num_input: number, ffn_num_hiddens: number, ffn_num_outputs: number) {
    super();
    this.dense1 = new nn.Linear(ffn_num_input, ffn_num_hiddens);
    this.relu = new nn.ReLU();
    this.dense2 = new nn.Linear(ffn_num_hiddens, ffn_num_outputs);
  }
  override forward(X: Tensor): Tensor {
    return this.dense2(this.relu(this.dense1(X)));
  }
}

class AddNorm extends nn.Module {
  dropout: torch.nn.Dropout;
  ln: torch.nn.LayerNorm;
  constructor(normalized_shape: number[], dropout: number) {
    super();
    this.dropout = new nn.Dropout(dropout);
    this.ln = new nn.LayerNorm(normalized_shape);
  }
  override forward(X: Tensor, Y: Tensor): Tensor {
    return this.ln(this.dropout(Y).add(X));
  }
}

class EncoderBlock extends nn.Module {
  attention: MultiHeadAttention;
  addnorm1: AddNorm;
  ffn: PositionWiseFFN;
  addnorm2: AddNorm;
  constructor(key_size: number, query_size: number, value_size: number, num_hiddens: number, norm_shape: number[], ffn_num_input: number, ffn_num_hiddens: number, num_heads: number, dropout: number, use_bias = false) {
    super();
    this.attention = new MultiHeadAttention(key_size, query_size, value_size, num_hiddens, num_heads, dropout, use_bias);
    this.addnorm1 = new AddNorm(norm_shape, dropout);
    this.ffn = new PositionWiseFFN(ffn_num_input, ffn_num_hiddens, num_hiddens);
    this.addnorm2 = new AddNorm(norm_shape, dropout);
  }
  override forward(X: Tensor, valid_lens: Tensor | null): Tensor {
    const Y = this.addnorm1(X, this.attention(X, X, X, valid_lens));
    return this.addnorm2(Y, this.ffn(Y));
  }
}

interface BertSizes { max_len?: number; key_size?: number; query_size?: number; value_size?: number }

class BERTEncoder extends nn.Module {
  token_embedding: torch.nn.Embedding;
  segment_embedding: torch.nn.Embedding;
  blks: torch.nn.Sequential;
  pos_embedding: torch.nn.Parameter;
  constructor(vocab_size: number, num_hiddens: number, norm_shape: number[], ffn_num_input: number, ffn_num_hiddens: number, num_heads: number, num_layers: number, dropout: number, { max_len = 1000, key_size = 768, query_size = 768, value_size = 768 }: BertSizes = {}) {
    super();
    this.token_embedding = new nn.Embedding(vocab_size, num_hiddens);
    this.segment_embedding = new nn.Embedding(2, num_hiddens);
    this.blks = new nn.Sequential();
    for (let i = 0; i < num_layers; i++) {
      this.blks.addModule(`${i}`, new EncoderBlock(key_size, query_size, value_size, num_hiddens, norm_shape, ffn_num_input, ffn_num_hiddens, num_heads, dropout, true));
    }
    this.pos_embedding = new nn.Parameter(torch.randn(1, max_len, num_hiddens));
  }
  override forward(tokens: Tensor, segments: Tensor, valid_lens: Tensor | null): Tensor {
    let X = this.token_embedding(tokens).add(this.segment_embedding(segments));
    X = X.add(this.pos_embedding.data.index(':', `:${X.shape[1]}`, ':'));
    for (const blk of this.blks) X = blk(X, valid_lens) as Tensor;
    return X;
  }
}

class MaskLM extends nn.Module {
  mlp: torch.nn.Sequential;
  constructor(vocab_size: number, num_hiddens: number, num_inputs = 768) {
    super();
    this.mlp = new nn.Sequential(new nn.Linear(num_inputs, num_hiddens), new nn.ReLU(), new nn.LayerNorm(num_hiddens), new nn.Linear(num_hiddens, vocab_size));
  }
  override forward(X: Tensor, pred_positions: Tensor): Tensor {
    const num_pred_positions = pred_positions.shape[1];
    pred_positions = pred_positions.reshape(-1);
    const batch_size = X.shape[0];
    let batch_idx = torch.arange(0, batch_size);
    batch_idx = torch.repeatInterleave(batch_idx, num_pred_positions);
    let masked_X = X.index(batch_idx, pred_positions);
    masked_X = masked_X.reshape([batch_size, num_pred_positions, -1]);
    return this.mlp(masked_X);
  }
}

class NextSentencePred extends nn.Module {
  output: torch.nn.Linear;
  constructor(num_inputs: number) {
    super();
    this.output = new nn.Linear(num_inputs, 2);
  }
  override forward(X: Tensor): Tensor {
    return this.output(X);
  }
}

class BERTModel extends nn.Module {
  encoder: BERTEncoder;
  hidden: torch.nn.Sequential;
  mlm: MaskLM;
  nsp: NextSentencePred;
  constructor(vocab_size: number, num_hiddens: number, norm_shape: number[], ffn_num_input: number, ffn_num_hiddens: number, num_heads: number, num_layers: number, dropout: number,
    sizes: BertSizes & { hid_in_features?: number; mlm_in_features?: number; nsp_in_features?: number } = {}) {
    super();
    const { hid_in_features = 768, mlm_in_features = 768, nsp_in_features = 768 } = sizes;
    this.encoder = new BERTEncoder(vocab_size, num_hiddens, norm_shape, ffn_num_input, ffn_num_hiddens, num_heads, num_layers, dropout, sizes);
    this.hidden = new nn.Sequential(new nn.Linear(hid_in_features, num_hiddens), new nn.Tanh());
    this.mlm = new MaskLM(vocab_size, num_hiddens, mlm_in_features);
    this.nsp = new NextSentencePred(nsp_in_features);
  }
  override forward(tokens: Tensor, segments: Tensor, valid_lens: Tensor | null = null, pred_positions: Tensor | null = null): [Tensor, Tensor | null, Tensor] {
    const encoded_X = this.encoder(tokens, segments, valid_lens);
    const mlm_Y_hat = pred_positions !== null ? this.mlm(encoded_X, pred_positions) : null;
    const nsp_Y_hat = this.nsp(this.hidden(encoded_X.index(':', 0, ':')));
    return [encoded_X, mlm_Y_hat, nsp_Y_hat];
  }
}

describe('d2l 15.8 BERT', () => {
  it('encodes, predicts masked tokens and the next sentence as PyTorch', () => {
    torch.manualSeed(2);
    const [vocab_size, num_hiddens, ffn_num_hiddens, num_heads] = [40, 16, 24, 2];
    const [norm_shape, ffn_num_input, num_layers, dropout] = [[16], 16, 2, 0.2];
    const encoder = new BERTEncoder(vocab_size, num_hiddens, norm_shape, ffn_num_input, ffn_num_hiddens, num_heads, num_layers, dropout, { max_len: 50, key_size: 16, query_size: 16, value_size: 16 });
    const tokens = torch.randint(0, vocab_size, [2, 8]);
    const segments = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1]]);
    let encoded_X = encoder(tokens, segments, null);
    expect(get_tokens_and_segments(['this', 'movie', 'is', 'great'], ['i', 'like', 'it'])).toEqual(golden.tokens_segments);
    expect(encoded_X.shape).toEqual(golden.encoded_shape);
    expectClose(encoded_X.index(':', ':3', ':4'), golden.encoded, 1e-4, 'encoded');
    expect([...encoder.namedParameters()].slice(0, 6).map(([n, p]) => [n, p.shape])).toEqual(golden.encoder_params);
    const mlm = new MaskLM(vocab_size, num_hiddens, num_hiddens);
    const mlm_positions = torch.tensor([[1, 5, 2], [6, 1, 5]]);
    const mlm_Y_hat = mlm(encoded_X, mlm_positions);
    expect(mlm_Y_hat.shape).toEqual(golden.mlm_shape);
    const mlm_Y = torch.tensor([[7, 8, 9], [10, 20, 30]]);
    const loss = new nn.CrossEntropyLoss({ reduction: 'none' });
    expectClose(loss(mlm_Y_hat.reshape([-1, vocab_size]), mlm_Y.reshape(-1)), golden.mlm_l, 1e-4, 'mlm_l');
    encoded_X = torch.flatten(encoded_X, { startDim: 1 });
    const nsp = new NextSentencePred(encoded_X.shape[encoded_X.shape.length - 1]);
    const nsp_Y_hat = nsp(encoded_X);
    expect(nsp_Y_hat.shape).toEqual(golden.nsp_shape);
    const nsp_y = torch.tensor([0, 1]);
    expectClose(loss(nsp_Y_hat, nsp_y), golden.nsp_l, 1e-4, 'nsp_l');

    torch.manualSeed(3);
    const bert = new BERTModel(vocab_size, num_hiddens, [16], 16, 24, 2, 1, 0.1,
      { max_len: 20, key_size: 16, query_size: 16, value_size: 16, hid_in_features: 16, mlm_in_features: 16, nsp_in_features: 16 });
    const trainer = new torch.optim.Adam(bert.parameters(), { lr: 0.01 });
    const valid_lens = torch.tensor([6.0, 8.0]);
    const pred_positions = torch.tensor([[1, 2, 0], [3, 5, 6]]);
    const mlm_weights = torch.tensor([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]);
    const bert_losses: number[][] = [];
    for (let k = 0; k < 3; k++) {
      trainer.zeroGrad();
      const [, mlm_hat, nsp_hat] = bert(tokens, segments, valid_lens.reshape(-1), pred_positions);
      let mlm_l = loss(mlm_hat!.reshape(-1, vocab_size), mlm_Y.reshape(-1)).mul(mlm_weights.reshape(-1, 1));
      mlm_l = mlm_l.sum().div(mlm_weights.sum().add(1e-8));
      const nsp_l = loss(nsp_hat, nsp_y).mean();
      const l = mlm_l.add(nsp_l);
      l.backward();
      trainer.step();
      bert_losses.push([mlm_l.item(), nsp_l.item()]);
    }
    expectClose(bert_losses.flat(), golden.bert_losses.flat(), 1e-4, 'bert losses');
    expect(String(bert.mlm)).toBe(golden.bert_repr_mlm);
  });
});
