import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples mnist_rnn/main.py translated line by line, as a new user would; fixtures/gen_examples_mnist_rnn.py
// runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-mnist-rnn', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;
const { DataLoader, TensorDataset } = torch.utils.data;

class Net extends nn.Module {
  rnn = new nn.LSTM(28, 64, { batchFirst: true }); // nn.LSTM(input_size=28, hidden_size=64, batch_first=True)
  batchnorm = new nn.BatchNorm1d(64);
  dropout1 = new nn.Dropout2d(0.25);
  dropout2 = new nn.Dropout2d(0.5);
  fc1 = new nn.Linear(64, 32);
  fc2 = new nn.Linear(32, 10);

  override forward(input: torch.Tensor): torch.Tensor {
    // Shape of input is (batch_size,1, 28, 28)
    // converting shape of input to (batch_size, 28, 28)
    // as required by RNN when batch_first is set True
    input = input.reshape(-1, 28, 28);
    let [output] = this.rnn(input); // output, hidden = self.rnn(input)
    // Get last output of RNN
    output = output.index(':', -1, ':'); // output[:, -1, :]
    output = this.batchnorm(output);
    output = this.dropout1(output);
    output = this.fc1(output);
    output = F.relu(output);
    output = this.dropout2(output);
    output = this.fc2(output);
    output = F.logSoftmax(output, 1);
    return output;
  }
}

describe('pytorch/examples mnist_rnn, translated', () => {
  it("trains the row LSTM with Adadelta and StepLR to PyTorch's losses", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const trainLoader = new DataLoader(new TensorDataset(torch.rand(16, 1, 28, 28), torch.randint(0, 10, [16])), { batchSize: 8, shuffle: true });
    const testSet = new TensorDataset(torch.rand(8, 1, 28, 28), torch.randint(0, 10, [8]));
    const testLoader = new DataLoader(testSet, { batchSize: 8 });
    const model = new Net();
    const optimizer = new optim.Adadelta(model.parameters(), { lr: 0.1 });
    const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
    const losses: number[] = [];
    const tests: { loss: number; correct: number }[] = [];
    for (let epoch = 1; epoch < 3; epoch++) {
      model.train();
      for (const [data, target] of trainLoader) {
        optimizer.zeroGrad();
        const output = model(data);
        const loss = F.nllLoss(output, target);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      model.eval();
      let testLoss = 0;
      let correct = 0;
      torch.noGrad(() => {
        for (const [data, target] of testLoader) {
          const output = model(data);
          testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
          const pred = output.argmax(1, { keepdim: true }); // get the index of the max log-probability
          correct += pred.eq(target.viewAs(pred)).sum().item();
        }
      });
      testLoss /= testSet.length; // len(test_loader.dataset)
      tests.push({ loss: testLoss, correct });
      scheduler.step();
    }
    losses.forEach((loss, i) => expect(loss, `batch ${i}`).toBeCloseTo(golden.losses[i], 4));
    tests.forEach((t, i) => {
      expect(t.loss).toBeCloseTo(golden.tests[i].loss, 4);
      expect(t.correct).toBe(golden.tests[i].correct);
    });
  });
});
