import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// A padded batch of variable-length sentences through Embedding, pack_padded_sequence, a 2-layer bidirectional
// LSTM with dropout, pad_packed_sequence and Linear, trained with SGD, translated line by line;
// fixtures/gen_packed_lstm.py runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('packed-lstm', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;
const { packPaddedSequence, padPackedSequence } = nn.utils.rnn;

class Tagger extends nn.Module {
  embedding: InstanceType<typeof nn.Embedding>;
  lstm: InstanceType<typeof nn.LSTM>;
  fc: InstanceType<typeof nn.Linear>;

  constructor(vocabSize: number, embeddingDim: number, hiddenDim: number, tagsetSize: number) {
    super();
    this.embedding = new nn.Embedding(vocabSize, embeddingDim, { paddingIdx: 0 });
    this.lstm = new nn.LSTM(embeddingDim, hiddenDim, { numLayers: 2, batchFirst: true, bidirectional: true, dropout: 0.25 });
    this.fc = new nn.Linear(2 * hiddenDim, tagsetSize);
  }

  override forward(tokens: torch.Tensor, lengths: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const embedded = this.embedding(tokens);
    const packed = packPaddedSequence(embedded, lengths, { batchFirst: true, enforceSorted: false });
    const [packedOut, [hN]] = this.lstm(packed);
    const [out] = padPackedSequence(packedOut, { batchFirst: true });
    return [this.fc(out), hN];
  }
}

describe('pack_padded_sequence -> LSTM -> pad_packed_sequence -> Linear, translated', () => {
  it("trains with SGD to PyTorch's losses, logits and final states", () => {
    torch.manualSeed(0);
    const tokens = torch.tensor([[4, 7, 2, 0, 0], [3, 9, 1, 5, 8], [6, 2, 0, 0, 0], [5, 5, 7, 1, 0]]);
    const lengths = torch.tensor([3, 5, 2, 4]);
    const tags = torch.tensor([[1, 0, 2, -100, -100], [0, 2, 1, 1, 0], [2, 1, -100, -100, -100], [0, 1, 2, 0, -100]]);
    const model = new Tagger(10, 6, 5, 3);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.5 });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      optimizer.zeroGrad();
      const [logits] = model(tokens, lengths);
      const loss = F.crossEntropy(logits.view(-1, 3), tags.view(-1));
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    model.eval();
    const [logits, hN] = torch.noGrad(() => model(tokens, lengths));
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(golden.losses[i], 5));
    (Array.from(logits.dataSync() as Float32Array) as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.logits[i], 4));
    (Array.from(hN.dataSync() as Float32Array) as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.h_n[i], 4));
    (model.fc.bias!.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.fc_bias[i], 5));
  });
});
