import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// "Advanced: Making Dynamic Decisions and the Bi-LSTM CRF" translated line by line on its own two training
// sentences; fixtures/gen_tutorial_bilstm_crf.py runs the original (real PyTorch 1.13) for its 300 epochs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-bilstm-crf', new URL('./fixtures/', import.meta.url));
const { nn, optim } = torch;
type Tensor = torch.Tensor;

// return the argmax as a python int
function argmax(vec: Tensor): number {
  const [, idx] = torch.max(vec, 1);
  return idx.item();
}

const prepare_sequence = (seq: string[], to_ix: Record<string, number>): Tensor => {
  const idxs = seq.map((w) => to_ix[w]);
  return torch.tensor(idxs, { dtype: torch.long });
};

// Compute log sum exp in a numerically stable way for the forward algorithm
function log_sum_exp(vec: Tensor): Tensor {
  const max_score = vec.index(0, argmax(vec));
  const max_score_broadcast = max_score.view(1, -1).expand(1, vec.size()[1]);
  return max_score.add(torch.log(torch.sum(torch.exp(vec.sub(max_score_broadcast)))));
}

const START_TAG = '<START>';
const STOP_TAG = '<STOP>';
const EMBEDDING_DIM = 5;
const HIDDEN_DIM = 4;
const EPOCHS = 300;

class BiLSTM_CRF extends nn.Module {
  tagset_size: number;
  word_embeds: InstanceType<typeof nn.Embedding>;
  lstm: InstanceType<typeof nn.LSTM>;
  hidden2tag: InstanceType<typeof nn.Linear>;
  transitions: InstanceType<typeof nn.Parameter>;
  hidden: [Tensor, Tensor];

  constructor(readonly vocab_size: number, readonly tag_to_ix: Record<string, number>, readonly embedding_dim: number, readonly hidden_dim: number) {
    super();
    this.tagset_size = Object.keys(tag_to_ix).length;
    this.word_embeds = new nn.Embedding(vocab_size, embedding_dim);
    this.lstm = new nn.LSTM(embedding_dim, Math.floor(hidden_dim / 2), { numLayers: 1, bidirectional: true });
    this.hidden2tag = new nn.Linear(hidden_dim, this.tagset_size);
    this.transitions = new nn.Parameter(torch.randn(this.tagset_size, this.tagset_size));
    this.transitions.data.indexPut_([tag_to_ix[START_TAG], ':'], -10000);
    this.transitions.data.indexPut_([':', tag_to_ix[STOP_TAG]], -10000);
    this.hidden = this.init_hidden();
  }

  init_hidden(): [Tensor, Tensor] {
    return [torch.randn(2, 1, Math.floor(this.hidden_dim / 2)), torch.randn(2, 1, Math.floor(this.hidden_dim / 2))];
  }

  _forward_alg(feats: Tensor): Tensor {
    const init_alphas = torch.full([1, this.tagset_size], -10000);
    init_alphas.index(0).indexPut_([this.tag_to_ix[START_TAG]], 0);
    let forward_var = init_alphas;
    for (const feat of feats.unbind()) { // Python: for feat in feats (a tensor is not iterable here)
      const alphas_t: Tensor[] = []; // The forward tensors at this timestep
      for (let next_tag = 0; next_tag < this.tagset_size; next_tag++) {
        const emit_score = feat.index(next_tag).view(1, -1).expand(1, this.tagset_size);
        const trans_score = this.transitions.index(next_tag).view(1, -1);
        const next_tag_var = forward_var.add(trans_score).add(emit_score);
        alphas_t.push(log_sum_exp(next_tag_var).view(1));
      }
      forward_var = torch.cat(alphas_t).view(1, -1);
    }
    const terminal_var = forward_var.add(this.transitions.index(this.tag_to_ix[STOP_TAG]));
    const alpha = log_sum_exp(terminal_var);
    return alpha;
  }

  _get_lstm_features(sentence: Tensor): Tensor {
    this.hidden = this.init_hidden();
    const embeds = this.word_embeds(sentence).view(sentence.length, 1, -1);
    let lstm_out: Tensor;
    [lstm_out, this.hidden] = this.lstm(embeds, this.hidden);
    lstm_out = lstm_out.view(sentence.length, this.hidden_dim);
    const lstm_feats = this.hidden2tag(lstm_out);
    return lstm_feats;
  }

  _score_sentence(feats: Tensor, tags: Tensor): Tensor {
    let score = torch.zeros(1);
    tags = torch.cat([torch.tensor([this.tag_to_ix[START_TAG]], { dtype: torch.long }), tags]);
    for (const [i, feat] of feats.unbind().entries()) {
      score = score.add(this.transitions.index(tags.index(i + 1), tags.index(i))).add(feat.index(tags.index(i + 1)));
    }
    score = score.add(this.transitions.index(this.tag_to_ix[STOP_TAG], tags.index(-1)));
    return score;
  }

  _viterbi_decode(feats: Tensor): [Tensor, number[]] {
    const backpointers: number[][] = [];
    const init_vvars = torch.full([1, this.tagset_size], -10000);
    init_vvars.index(0).indexPut_([this.tag_to_ix[START_TAG]], 0);
    let forward_var = init_vvars;
    for (const feat of feats.unbind()) { // Python: for feat in feats (a tensor is not iterable here)
      const bptrs_t: number[] = [];
      const viterbivars_t: Tensor[] = [];
      for (let next_tag = 0; next_tag < this.tagset_size; next_tag++) {
        const next_tag_var = forward_var.add(this.transitions.index(next_tag));
        const best_tag_id = argmax(next_tag_var);
        bptrs_t.push(best_tag_id);
        viterbivars_t.push(next_tag_var.index(0).index(best_tag_id).view(1));
      }
      forward_var = torch.cat(viterbivars_t).add(feat).view(1, -1);
      backpointers.push(bptrs_t);
    }
    const terminal_var = forward_var.add(this.transitions.index(this.tag_to_ix[STOP_TAG]));
    let best_tag_id = argmax(terminal_var);
    const path_score = terminal_var.index(0).index(best_tag_id);
    const best_path = [best_tag_id];
    for (const bptrs_t of backpointers.reverse()) {
      best_tag_id = bptrs_t[best_tag_id];
      best_path.push(best_tag_id);
    }
    const start = best_path.pop();
    expect(start).toBe(this.tag_to_ix[START_TAG]); // Sanity check
    best_path.reverse();
    return [path_score, best_path];
  }

  neg_log_likelihood(sentence: Tensor, tags: Tensor): Tensor {
    const feats = this._get_lstm_features(sentence);
    const forward_score = this._forward_alg(feats);
    const gold_score = this._score_sentence(feats, tags);
    return forward_score.sub(gold_score);
  }

  override forward(sentence: Tensor): [Tensor, number[]] {
    const lstm_feats = this._get_lstm_features(sentence);
    const [score, tag_seq] = this._viterbi_decode(lstm_feats);
    return [score, tag_seq];
  }
}

const training_data: [string[], string[]][] = [
  ['the wall street journal reported today that apple corporation made money'.split(' '), 'B I I I O O O B I O O'.split(' ')],
  ['georgia tech is a university in georgia'.split(' '), 'B I O O O O B'.split(' ')],
];

describe('the Bi-LSTM CRF tutorial, translated', () => {
  it("decodes, trains and decodes again to PyTorch's scores and paths", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const word_to_ix: Record<string, number> = {};
    for (const [sentence] of training_data) {
      for (const word of sentence) if (!(word in word_to_ix)) word_to_ix[word] = Object.keys(word_to_ix).length;
    }
    const tag_to_ix = { B: 0, I: 1, O: 2, [START_TAG]: 3, [STOP_TAG]: 4 };
    const model = new BiLSTM_CRF(Object.keys(word_to_ix).length, tag_to_ix, EMBEDDING_DIM, HIDDEN_DIM);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, weightDecay: 1e-4 });
    expect(String(model)).toBe(golden.model);
    expect(String(model.transitions)).toBe(golden.transitions);
    torch.noGrad(() => {
      const precheck_sent = prepare_sequence(training_data[0][0], word_to_ix);
      const precheck_tags = torch.tensor(training_data[0][1].map((t) => tag_to_ix[t as 'B']), { dtype: torch.long });
      const [score, path] = model(precheck_sent);
      expect([String(score), path]).toEqual(golden.before);
      expect(String(model.neg_log_likelihood(precheck_sent, precheck_tags))).toBe(golden.nll_before);
    });
    const losses: number[] = [];
    let loss!: Tensor;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      for (const [sentence, tags] of training_data) {
        model.zeroGrad();
        const sentence_in = prepare_sequence(sentence, word_to_ix);
        const targets = torch.tensor(tags.map((t) => tag_to_ix[t as 'B']), { dtype: torch.long });
        loss = model.neg_log_likelihood(sentence_in, targets);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
    }
    expect(String(loss)).toBe(golden.loss_repr);
    losses.forEach((l, i) => expect(l, `loss ${i}`).toBeCloseTo(golden.losses[i], 3));
    torch.noGrad(() => {
      const precheck_sent = prepare_sequence(training_data[0][0], word_to_ix);
      const [score, path] = model(precheck_sent);
      expect([String(score), path]).toEqual(golden.after);
      expect(score.item()).toBeCloseTo(golden.after_score, 3);
    });
    (model.transitions.detach().reshape(-1).tolist() as number[]).forEach((t, i) => expect(t).toBeCloseTo(golden.transitions_after[i], 3));
  });
});
