import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples word_language_model with --model Transformer (model.py's PositionalEncoding and TransformerModel,
// main.py's train and evaluate) translated line by line, as a new user would, on a tiny random corpus;
// fixtures/gen_examples_word_lm_transformer.py runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-word-lm-transformer', new URL('./fixtures/', import.meta.url));

const { nn } = torch;
const F = nn.functional;
const [ntokens, emsize, nhead, nhid, nlayers, dropout] = [20, 16, 2, 32, 2, 0.2];
const [batchSize, evalBatchSize, bptt, clip, epochs] = [4, 5, 7, 0.25, 3];

class PositionalEncoding extends nn.Module {
  dropout: InstanceType<typeof nn.Dropout>;
  declare pe: torch.Tensor;

  constructor(dModel: number, dropout = 0.1, maxLen = 5000) {
    super();
    this.dropout = new nn.Dropout(dropout);
    let pe = torch.zeros(maxLen, dModel);
    const position = torch.arange(0, maxLen, { dtype: torch.float }).unsqueeze(1);
    const divTerm = torch.exp(torch.arange(0, dModel, 2).float().mul(-Math.log(10000.0) / dModel));
    pe.index(':', '0::2').copy_(torch.sin(position.mul(divTerm))); // pe[:, 0::2] = torch.sin(position * div_term)
    pe.index(':', '1::2').copy_(torch.cos(position.mul(divTerm)));
    pe = pe.unsqueeze(0).transpose(0, 1);
    this.registerBuffer('pe', pe);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    x = x.add(this.pe.slice(0, 0, x.size(0))); // x + self.pe[:x.size(0), :]
    return this.dropout(x);
  }
}

/** Container module with an encoder, a recurrent or transformer module, and a decoder. */
class TransformerModel extends nn.Transformer {
  modelType = 'Transformer';
  srcMask: torch.Tensor | null = null;
  posEncoder: PositionalEncoding;
  inputEmb: InstanceType<typeof nn.Embedding>;
  ninp: number;

  constructor(ntoken: number, ninp: number, nhead: number, nhid: number, nlayers: number, dropout = 0.5) {
    super({ dModel: ninp, nhead, dimFeedforward: nhid, numEncoderLayers: nlayers });
    this.posEncoder = new PositionalEncoding(ninp, dropout);
    this.inputEmb = new nn.Embedding(ntoken, ninp);
    this.ninp = ninp;
    this.decoder = new nn.Linear(ninp, ntoken);
    this.initWeights();
  }

  generateSquareSubsequentMask(sz: number): torch.Tensor {
    return torch.log(torch.tril(torch.ones(sz, sz)));
  }

  initWeights(): void {
    const initrange = 0.1;
    const decoder = this.decoder as InstanceType<typeof nn.Linear>;
    nn.init.uniform_(this.inputEmb.weight, -initrange, initrange);
    nn.init.zeros_(decoder.bias!);
    nn.init.uniform_(decoder.weight, -initrange, initrange);
  }

  // forward(self, src, has_mask=True): nn.Transformer's forward takes (src, tgt), so the override is typed loosely
  override forward(src: torch.Tensor, hasMask: unknown = true): torch.Tensor {
    if (hasMask) {
      const device = src.device;
      if (this.srcMask === null || this.srcMask.size(0) !== src.length) {
        const mask = this.generateSquareSubsequentMask(src.length).to(device);
        this.srcMask = mask;
      }
    } else {
      this.srcMask = null;
    }
    src = this.inputEmb(src).mul(Math.sqrt(this.ninp));
    src = this.posEncoder(src);
    let output = this.encoder(src, { mask: this.srcMask });
    output = this.decoder(output);
    return F.logSoftmax(output, -1);
  }
}

function batchify(data: torch.Tensor, bsz: number): torch.Tensor {
  const nbatch = Math.floor(data.size(0) / bsz);
  data = data.narrow(0, 0, nbatch * bsz);
  data = data.view(bsz, -1).t().contiguous();
  return data;
}

function getBatch(source: torch.Tensor, i: number): [torch.Tensor, torch.Tensor] {
  const seqLen = Math.min(bptt, source.length - 1 - i);
  const data = source.slice(0, i, i + seqLen);
  const target = source.slice(0, i + 1, i + 1 + seqLen).view(-1);
  return [data, target];
}

describe('pytorch/examples word_language_model --model Transformer, translated', () => {
  it("trains with clipGradNorm_ and manual SGD to PyTorch's losses", { timeout: 120_000 }, () => {
    torch.manualSeed(1111);
    const trainData = batchify(torch.randint(0, ntokens, [150]), batchSize);
    const valData = batchify(torch.randint(0, ntokens, [53]), evalBatchSize);
    const model = new TransformerModel(ntokens, emsize, nhead, nhid, nlayers, dropout);
    const criterion = new nn.NLLLoss();
    let lr = 5; // the README runs the Transformer with --lr 5
    const losses: number[] = [];
    const valLosses: number[] = [];
    const lrs: number[] = [];

    function evaluate(dataSource: torch.Tensor): number {
      model.eval();
      let totalLoss = 0;
      torch.noGrad(() => {
        for (let i = 0; i < dataSource.size(0) - 1; i += bptt) {
          const [data, targets] = getBatch(dataSource, i);
          let output = model(data);
          output = output.view(-1, ntokens);
          totalLoss += data.length * criterion(output, targets).item();
        }
      });
      return totalLoss / (dataSource.length - 1);
    }

    function train(): void {
      model.train();
      for (let i = 0; i < trainData.size(0) - 1; i += bptt) {
        const [data, targets] = getBatch(trainData, i);
        model.zeroGrad();
        let output = model(data);
        output = output.view(-1, ntokens);
        const loss = criterion(output, targets);
        loss.backward();
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
      if (!bestValLoss || valLoss < bestValLoss) bestValLoss = valLoss;
      else lr /= 4.0;
      lrs.push(lr);
    }

    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(golden.n_params);
    const camel = (name: string) => name.replace(/_(.)/g, (_, c: string) => c.toUpperCase()); // pos_encoder -> posEncoder
    expect(model.namedChildren().map(([n]) => n)).toEqual(golden.module_names.map(camel)); // decoder keeps its place
    (model.posEncoder.pe.slice(0, 0, 3).select(2, 0).flatten().tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.pe_rows[i].at(0), 6));
    losses.forEach((loss, i) => expect(loss, `batch ${i}`).toBeCloseTo(golden.losses[i], 4));
    valLosses.forEach((loss, i) => expect(loss, `epoch ${i + 1}`).toBeCloseTo(golden.val_losses[i], 4));
    expect(lrs).toEqual(golden.lrs);
    ((model.decoder as InstanceType<typeof nn.Linear>).bias!.tolist() as number[]).forEach((b, i) => expect(b).toBeCloseTo(golden.decoder_bias[i], 4));
  });
});
