import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples word_language_model (model.py and main.py) translated line by line, as a new user would, on a
// tiny random corpus; fixtures/gen_examples_word_lm.py runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-word-lm', new URL('./fixtures/', import.meta.url));

const { nn } = torch;
const F = nn.functional;
const [ntokens, emsize, nhid, nlayers, dropout] = [20, 16, 16, 2, 0.2];
const [batchSize, evalBatchSize, bptt, clip, epochs] = [4, 5, 7, 0.25, 3];

type Hidden = torch.Tensor | Hidden[];

/** Container module with an encoder, a recurrent module, and a decoder. */
class RNNModel extends nn.Module {
  drop: InstanceType<typeof nn.Dropout>;
  encoder: InstanceType<typeof nn.Embedding>;
  rnn: InstanceType<typeof nn.LSTM> | InstanceType<typeof nn.GRU>;
  decoder: InstanceType<typeof nn.Linear>;

  constructor(
    readonly rnnType: 'LSTM' | 'GRU',
    readonly ntoken: number,
    ninp: number,
    readonly nhid: number,
    readonly nlayers: number,
    dropout = 0.5,
    tieWeights = false,
  ) {
    super();
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    this.rnn = new nn[rnnType](ninp, nhid, nlayers, { dropout }); // getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
    this.decoder = new nn.Linear(nhid, ntoken);
    if (tieWeights) {
      if (nhid !== ninp) throw new Error('When using the tied flag, nhid must be equal to emsize');
      this.decoder.weight = this.encoder.weight;
    }
    this.initWeights();
  }

  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  override forward(input: torch.Tensor, hidden: Hidden): [torch.Tensor, Hidden] {
    const emb = this.drop(this.encoder(input));
    // output, hidden = self.rnn(emb, hidden): a union of LSTM and GRU is not callable in TypeScript without a cast
    const [rnnOutput, hiddenOut] = (this.rnn as (x: torch.Tensor, h: Hidden) => [torch.Tensor, Hidden])(emb, hidden);
    const output = this.drop(rnnOutput);
    let decoded = this.decoder(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.logSoftmax(decoded, 1), hiddenOut];
  }

  initHidden(bsz: number): Hidden {
    const weight = this.parameters()[0]; // next(self.parameters())
    if (this.rnnType === 'LSTM') return [weight.newZeros([this.nlayers, bsz, this.nhid]), weight.newZeros([this.nlayers, bsz, this.nhid])];
    return weight.newZeros([this.nlayers, bsz, this.nhid]);
  }
}

function batchify(data: torch.Tensor, bsz: number): torch.Tensor {
  // Work out how cleanly we can divide the dataset into bsz parts.
  const nbatch = Math.floor(data.size(0) / bsz);
  // Trim off any extra elements that wouldn't cleanly fit (remainders).
  data = data.narrow(0, 0, nbatch * bsz);
  // Evenly divide the data across the bsz batches.
  data = data.view(bsz, -1).t().contiguous();
  return data;
}

/** Wraps hidden states in new Tensors, to detach them from their history. */
function repackageHidden(h: Hidden): Hidden {
  if (h instanceof torch.Tensor) return h.detach();
  return h.map((v) => repackageHidden(v));
}

function getBatch(source: torch.Tensor, i: number): [torch.Tensor, torch.Tensor] {
  const seqLen = Math.min(bptt, source.length - 1 - i);
  const data = source.slice(0, i, i + seqLen); // source[i:i+seq_len]
  const target = source.slice(0, i + 1, i + 1 + seqLen).view(-1);
  return [data, target];
}

function run(rnnType: 'LSTM' | 'GRU') {
  torch.manualSeed(1111);
  const trainData = batchify(torch.randint(0, ntokens, [150]), batchSize);
  const valData = batchify(torch.randint(0, ntokens, [53]), evalBatchSize);
  const model = new RNNModel(rnnType, ntokens, emsize, nhid, nlayers, dropout, true);
  const criterion = new nn.NLLLoss();
  let lr = 20;
  const losses: number[] = [];
  const valLosses: number[] = [];
  const ppls: number[] = [];
  const lrs: number[] = [];

  function evaluate(dataSource: torch.Tensor): number {
    // Turn on evaluation mode which disables dropout.
    model.eval();
    let totalLoss = 0;
    let hidden = model.initHidden(evalBatchSize);
    torch.noGrad(() => {
      for (let i = 0; i < dataSource.size(0) - 1; i += bptt) {
        const [data, targets] = getBatch(dataSource, i);
        let output: torch.Tensor;
        [output, hidden] = model(data, hidden);
        hidden = repackageHidden(hidden);
        totalLoss += data.length * criterion(output, targets).item();
      }
    });
    return totalLoss / (dataSource.length - 1);
  }

  function train(): void {
    // Turn on training mode which enables dropout.
    model.train();
    let hidden = model.initHidden(batchSize);
    for (let i = 0; i < trainData.size(0) - 1; i += bptt) {
      const [data, targets] = getBatch(trainData, i);
      // Starting each batch, we detach the hidden state from how it was previously produced.
      model.zeroGrad();
      hidden = repackageHidden(hidden);
      let output: torch.Tensor;
      [output, hidden] = model(data, hidden);
      const loss = criterion(output, targets);
      loss.backward();
      // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
      torch.nn.utils.clipGradNorm_(model.parameters(), clip);
      for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr });
      losses.push(loss.item());
    }
  }

  let bestValLoss: number | null = null;
  for (let epoch = 1; epoch < epochs + 1; epoch++) {
    train();
    const valLoss = evaluate(valData);
    valLosses.push(valLoss);
    ppls.push(Math.exp(valLoss));
    if (!bestValLoss || valLoss < bestValLoss) {
      bestValLoss = valLoss;
    } else {
      // Anneal the learning rate if no improvement has been seen in the validation dataset.
      lr /= 4.0;
    }
    lrs.push(lr);
  }
  return { nParams: model.parameters().length, losses, valLosses, ppls, lrs, decoderBias: model.decoder.bias!.tolist() as number[] };
}

describe('pytorch/examples word_language_model, translated', () => {
  for (const rnnType of ['LSTM', 'GRU'] as const) {
    it(`trains a tied ${rnnType} with clipGradNorm_ and manual SGD to PyTorch's losses and perplexities`, { timeout: 120_000 }, () => {
      const want = golden[rnnType];
      const got = run(rnnType);
      expect(got.nParams).toBe(want.n_params);
      expect(got.losses.length).toBe(want.losses.length);
      got.losses.forEach((loss, i) => expect(loss, `batch ${i}`).toBeCloseTo(want.losses[i], 4));
      got.valLosses.forEach((loss, i) => expect(loss, `epoch ${i + 1}`).toBeCloseTo(want.val_losses[i], 4));
      got.ppls.forEach((ppl, i) => expect(ppl).toBeCloseTo(want.ppls[i], 2));
      expect(got.lrs).toEqual(want.lrs);
      got.decoderBias.forEach((b, i) => expect(b).toBeCloseTo(want.decoder_bias[i], 4));
    });
  }
});
