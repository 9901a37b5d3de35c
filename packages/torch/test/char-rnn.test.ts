import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// The "Classifying Names with a Character-Level RNN" tutorial translated line by line; fixtures/gen_char_rnn.py
// runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('char-rnn', new URL('./fixtures/', import.meta.url));

const { nn } = torch;
const allLetters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' + " .,;'";
const nLetters = allLetters.length;
const categories = ['English', 'French', 'Italian'];
const examples: [string, number][] = [['Smith', 0], ['Dubois', 1], ['Rossi', 2], ['Taylor', 0], ['Lefevre', 1], ['Bianchi', 2]];

const letterToIndex = (letter: string) => allLetters.indexOf(letter);

function lineToTensor(line: string): torch.Tensor {
  const tensor = torch.zeros(line.length, 1, nLetters);
  [...line].forEach((letter, li) => tensor.index(li, 0, letterToIndex(letter)).fill_(1));
  return tensor;
}

class RNN extends nn.Module {
  i2h: InstanceType<typeof nn.Linear>;
  i2o: InstanceType<typeof nn.Linear>;
  softmax = new nn.LogSoftmax(1);

  constructor(inputSize: number, readonly hiddenSize: number, outputSize: number) {
    super();
    this.i2h = new nn.Linear(inputSize + hiddenSize, hiddenSize);
    this.i2o = new nn.Linear(inputSize + hiddenSize, outputSize);
  }

  override forward(input: torch.Tensor, hidden: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const combined = torch.cat([input, hidden], 1);
    hidden = this.i2h(combined);
    let output = this.i2o(combined);
    output = this.softmax(output);
    return [output, hidden];
  }

  initHidden(): torch.Tensor {
    return torch.zeros(1, this.hiddenSize);
  }
}

describe('the character-level RNN name classifier tutorial, translated', () => {
  it("trains to PyTorch's losses and guesses", () => {
    torch.manualSeed(0);
    const rnn = new RNN(nLetters, 128, categories.length);
    const criterion = new nn.NLLLoss();
    const learningRate = 0.005;
    const train = (categoryTensor: torch.Tensor, lineTensor: torch.Tensor): [torch.Tensor, number] => {
      let hidden = rnn.initHidden();
      rnn.zeroGrad();
      let output!: torch.Tensor;
      for (let i = 0; i < lineTensor.shape[0]; i++) [output, hidden] = rnn(lineTensor.index(i), hidden);
      const loss = criterion(output, categoryTensor);
      loss.backward();
      for (const p of rnn.parameters()) p.data.add_(p.grad!.data, { alpha: -learningRate });
      return [output, loss.item()];
    };
    const steps: { loss: number; guess: number; top: number }[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const [name, c] of examples) {
        const [output, loss] = train(torch.tensor([c], { dtype: 'int64' }), lineToTensor(name));
        const { values: topN, indices: topI } = output.topk(1);
        steps.push({ loss, guess: Number(topI.index(0).item()), top: Number(topN.index(0).item()) });
      }
    }
    steps.forEach((step, i) => {
      expect(step.loss).toBeCloseTo(golden.steps[i].loss, 5);
      expect(step.guess).toBe(golden.steps[i].guess);
      expect(step.top).toBeCloseTo(golden.steps[i].top, 5);
    });
  });
});
