import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// "NLP From Scratch: Translation with a Sequence to Sequence Network and Attention" translated line by line on a
// tiny parallel corpus; fixtures/gen_tutorial_seq2seq_attention.py runs the original (real PyTorch 1.13) with the
// same fixed pair order and teacher-forcing schedule in place of Python's `random`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-seq2seq-attention', new URL('./fixtures/', import.meta.url));
const { nn, optim } = torch;
const F = torch.nn.functional;
type Tensor = torch.Tensor;

const SOS_token = 0;
const EOS_token = 1;
const MAX_LENGTH = 6;
const pairs = [
  ['je suis grand', 'i am tall'],
  ['elle est petite', 'she is small'],
  ['il est grand', 'he is tall'],
  ['je suis petite', 'i am small'],
];

class Lang {
  word2index: Record<string, number> = {};
  word2count: Record<string, number> = {};
  index2word: Record<number, string> = { 0: 'SOS', 1: 'EOS' };
  n_words = 2;

  constructor(readonly name: string) {}

  addSentence(sentence: string): void {
    for (const word of sentence.split(' ')) this.addWord(word);
  }

  addWord(word: string): void {
    if (!(word in this.word2index)) {
      this.word2index[word] = this.n_words;
      this.word2count[word] = 1;
      this.index2word[this.n_words] = word;
      this.n_words += 1;
    } else {
      this.word2count[word] += 1;
    }
  }
}

const [input_lang, output_lang] = [new Lang('fra'), new Lang('eng')];
for (const pair of pairs) {
  input_lang.addSentence(pair[0]);
  output_lang.addSentence(pair[1]);
}

class EncoderRNN extends nn.Module {
  embedding: InstanceType<typeof nn.Embedding>;
  gru: InstanceType<typeof nn.GRU>;

  constructor(input_size: number, readonly hidden_size: number) {
    super();
    this.embedding = new nn.Embedding(input_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size);
  }

  override forward(input: Tensor, hidden: Tensor): [Tensor, Tensor] {
    const embedded = this.embedding(input).view(1, 1, -1);
    let output = embedded;
    [output, hidden] = this.gru(output, hidden);
    return [output, hidden];
  }

  initHidden(): Tensor {
    return torch.zeros(1, 1, this.hidden_size);
  }
}

class AttnDecoderRNN extends nn.Module {
  embedding: InstanceType<typeof nn.Embedding>;
  attn: InstanceType<typeof nn.Linear>;
  attn_combine: InstanceType<typeof nn.Linear>;
  dropout: InstanceType<typeof nn.Dropout>;
  gru: InstanceType<typeof nn.GRU>;
  out: InstanceType<typeof nn.Linear>;

  constructor(readonly hidden_size: number, readonly output_size: number, readonly dropout_p = 0.1, readonly max_length = MAX_LENGTH) {
    super();
    this.embedding = new nn.Embedding(this.output_size, this.hidden_size);
    this.attn = new nn.Linear(this.hidden_size * 2, this.max_length);
    this.attn_combine = new nn.Linear(this.hidden_size * 2, this.hidden_size);
    this.dropout = new nn.Dropout(this.dropout_p);
    this.gru = new nn.GRU(this.hidden_size, this.hidden_size);
    this.out = new nn.Linear(this.hidden_size, this.output_size);
  }

  override forward(input: Tensor, hidden: Tensor, encoder_outputs: Tensor): [Tensor, Tensor, Tensor] {
    let embedded = this.embedding(input).view(1, 1, -1);
    embedded = this.dropout(embedded);
    const attn_weights = F.softmax(this.attn(torch.cat([embedded.index(0), hidden.index(0)], 1)), { dim: 1 });
    const attn_applied = torch.bmm(attn_weights.unsqueeze(0), encoder_outputs.unsqueeze(0));
    let output = torch.cat([embedded.index(0), attn_applied.index(0)], 1);
    output = this.attn_combine(output).unsqueeze(0);
    output = F.relu(output);
    [output, hidden] = this.gru(output, hidden);
    output = F.logSoftmax(this.out(output.index(0)), { dim: 1 });
    return [output, hidden, attn_weights];
  }
}

const indexesFromSentence = (lang: Lang, sentence: string): number[] => sentence.split(' ').map((word) => lang.word2index[word]);

function tensorFromSentence(lang: Lang, sentence: string): Tensor {
  const indexes = indexesFromSentence(lang, sentence);
  indexes.push(EOS_token);
  return torch.tensor(indexes, { dtype: torch.long }).view(-1, 1);
}

const tensorsFromPair = (pair: string[]): [Tensor, Tensor] => [tensorFromSentence(input_lang, pair[0]), tensorFromSentence(output_lang, pair[1])];

function train(
  input_tensor: Tensor, target_tensor: Tensor, encoder: EncoderRNN, decoder: AttnDecoderRNN,
  encoder_optimizer: torch.optim.Optimizer, decoder_optimizer: torch.optim.Optimizer,
  criterion: InstanceType<typeof nn.NLLLoss>, use_teacher_forcing: boolean, max_length = MAX_LENGTH,
): number {
  let encoder_hidden = encoder.initHidden();
  encoder_optimizer.zeroGrad();
  decoder_optimizer.zeroGrad();
  const input_length = input_tensor.size(0);
  const target_length = target_tensor.size(0);
  const encoder_outputs = torch.zeros(max_length, encoder.hidden_size);
  let loss = torch.tensor(0);
  for (let ei = 0; ei < input_length; ei++) {
    let encoder_output: Tensor;
    [encoder_output, encoder_hidden] = encoder(input_tensor.index(ei), encoder_hidden);
    encoder_outputs.indexPut_([ei], encoder_output.index(0, 0));
  }
  let decoder_input = torch.tensor([[SOS_token]]);
  let decoder_hidden = encoder_hidden;
  let decoder_output: Tensor;
  if (use_teacher_forcing) {
    for (let di = 0; di < target_length; di++) {
      [decoder_output, decoder_hidden] = decoder(decoder_input, decoder_hidden, encoder_outputs);
      loss = loss.add(criterion(decoder_output, target_tensor.index(di)));
      decoder_input = target_tensor.index(di); // Teacher forcing
    }
  } else {
    for (let di = 0; di < target_length; di++) {
      [decoder_output, decoder_hidden] = decoder(decoder_input, decoder_hidden, encoder_outputs);
      const [, topi] = decoder_output.topk(1);
      decoder_input = topi.squeeze().detach(); // detach from history as input
      loss = loss.add(criterion(decoder_output, target_tensor.index(di)));
      if (decoder_input.item() === EOS_token) break;
    }
  }
  loss.backward();
  encoder_optimizer.step();
  decoder_optimizer.step();
  return loss.item() / target_length;
}

function evaluate(encoder: EncoderRNN, decoder: AttnDecoderRNN, sentence: string, max_length = MAX_LENGTH): [string[], Tensor] {
  return torch.noGrad(() => {
    const input_tensor = tensorFromSentence(input_lang, sentence);
    const input_length = input_tensor.size()[0];
    let encoder_hidden = encoder.initHidden();
    const encoder_outputs = torch.zeros(max_length, encoder.hidden_size);
    for (let ei = 0; ei < input_length; ei++) {
      let encoder_output: Tensor;
      [encoder_output, encoder_hidden] = encoder(input_tensor.index(ei), encoder_hidden);
      encoder_outputs.index(ei).add_(encoder_output.index(0, 0));
    }
    let decoder_input = torch.tensor([[SOS_token]]); // SOS
    let decoder_hidden = encoder_hidden;
    const decoded_words: string[] = [];
    const decoder_attentions = torch.zeros(max_length, max_length);
    let di = 0;
    for (; di < max_length; di++) {
      let decoder_output: Tensor;
      let decoder_attention: Tensor;
      [decoder_output, decoder_hidden, decoder_attention] = decoder(decoder_input, decoder_hidden, encoder_outputs);
      decoder_attentions.indexPut_([di], decoder_attention.data);
      const [, topi] = decoder_output.data.topk(1);
      if (topi.item() === EOS_token) {
        decoded_words.push('<EOS>');
        break;
      } else {
        decoded_words.push(output_lang.index2word[topi.item()]);
      }
      decoder_input = topi.squeeze().detach();
    }
    return [decoded_words, decoder_attentions.index(`:${di + 1}`)];
  });
}

describe('the seq2seq translation with attention tutorial, translated', () => {
  it("trains and evaluates to PyTorch's losses, words and attentions", { timeout: 120_000 }, () => {
    torch.manualSeed(0);
    const hidden_size = 16;
    const encoder1 = new EncoderRNN(input_lang.n_words, hidden_size);
    const attn_decoder1 = new AttnDecoderRNN(hidden_size, output_lang.n_words, 0.1);
    expect(String(encoder1)).toBe(golden.encoder);
    expect(String(attn_decoder1)).toBe(golden.decoder);
    const learning_rate = 0.1;
    const encoder_optimizer = new optim.SGD(encoder1.parameters(), { lr: learning_rate });
    const decoder_optimizer = new optim.SGD(attn_decoder1.parameters(), { lr: learning_rate });
    const n_iters = 60;
    const training_pairs = Array.from({ length: n_iters }, (_, i) => tensorsFromPair(pairs[i % pairs.length]));
    const criterion = new nn.NLLLoss();
    const losses: number[] = [];
    for (let iter = 1; iter <= n_iters; iter++) {
      const [input_tensor, target_tensor] = training_pairs[iter - 1];
      losses.push(train(input_tensor, target_tensor, encoder1, attn_decoder1, encoder_optimizer, decoder_optimizer, criterion, iter % 3 !== 0));
    }
    losses.forEach((loss, i) => expect(loss, `loss ${i}`).toBeCloseTo(golden.losses[i], 4));
    encoder1.eval();
    attn_decoder1.eval();
    let attentions!: Tensor;
    pairs.forEach((pair, i) => {
      let output_words: string[];
      [output_words, attentions] = evaluate(encoder1, attn_decoder1, pair[0]);
      expect(output_words).toEqual(golden.evals[i].words);
      expect(attentions.shape).toEqual(golden.evals[i].attentions_shape);
      (attentions.index(0).tolist() as number[]).forEach((a, j) => expect(a).toBeCloseTo(golden.evals[i].attentions_row0[j], 4));
    });
    expect(String(attentions.index(':', ':3'))).toBe(golden.attentions_repr);
  });
});
