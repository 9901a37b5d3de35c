import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples mnist/main.py translated line by line, as a new user would; fixtures/gen_examples_mnist.py runs
// the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-mnist', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(input: torch.Tensor): torch.Tensor {
    let x = this.conv1(input);
    x = F.relu(x);
    x = this.conv2(x);
    x = F.relu(x);
    x = F.maxPool2d(x, 2);
    x = this.dropout1(x);
    x = torch.flatten(x, 1);
    x = this.fc1(x);
    x = F.relu(x);
    x = this.dropout2(x);
    x = this.fc2(x);
    const output = F.logSoftmax(x, 1);
    return output;
  }
}

describe('pytorch/examples mnist, translated', () => {
  it("trains with Adadelta and StepLR to PyTorch's losses, and tests to its loss and accuracy", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const data = torch.rand(6, 1, 28, 28).sub(0.1307).div(0.3081);
    const target = torch.randint(0, 10, [6]);
    expect(Array.from(target.dataSync(), Number)).toEqual(golden.target);
    const model = new Net();
    const optimizer = new optim.Adadelta(model.parameters(), 1.0);
    const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
    const losses: number[] = [];
    const lrs: number[] = [];
    for (let epoch = 1; epoch < 4; epoch++) {
      model.train();
      optimizer.zeroGrad();
      const output = model(data);
      const loss = F.nllLoss(output, target);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
      lrs.push(optimizer.paramGroups[0].lr);
      scheduler.step();
    }
    model.eval();
    let testLoss = 0;
    let correct = 0;
    torch.noGrad(() => {
      const output = model(data);
      testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item();
      const pred = output.argmax(1, { keepdim: true });
      correct += pred.eq(target.viewAs(pred)).sum().item();
    });
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(golden.losses[i], 4));
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(golden.lrs[i], 12));
    expect(testLoss).toBeCloseTo(golden.test_loss, 3);
    expect(correct).toBe(golden.correct);
    (model.fc2.bias!.tolist() as number[]).forEach((b, i) => expect(b).toBeCloseTo(golden.fc2_bias[i], 4));
  });
});
