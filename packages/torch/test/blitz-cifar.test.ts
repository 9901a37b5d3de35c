import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// The 60-minute blitz's CIFAR-10 classifier translated line by line; fixtures/gen_blitz_cifar.py runs the original
// on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('blitz-cifar', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;

class Net extends nn.Module {
  conv1 = new nn.Conv2d(3, 6, 5);
  pool = new nn.MaxPool2d(2, 2);
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  override forward(input: torch.Tensor): torch.Tensor {
    let x = this.pool(F.relu(this.conv1(input)));
    x = this.pool(F.relu(this.conv2(x)));
    x = x.view(-1, 16 * 5 * 5);
    x = F.relu(this.fc1(x));
    x = F.relu(this.fc2(x));
    x = this.fc3(x);
    return x;
  }
}

describe('the blitz CIFAR-10 classifier, translated', () => {
  it("trains with SGD and momentum to PyTorch's losses and predictions", () => {
    torch.manualSeed(0);
    const inputs = torch.rand(4, 3, 32, 32).mul(2).sub(1);
    const labels = torch.randint(0, 10, [4]);
    const net = new Net();
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.SGD(net.parameters(), 0.001, { momentum: 0.9 });
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      optimizer.zeroGrad();
      const outputs = net(inputs);
      const loss = criterion(outputs, labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    const outputs = torch.noGrad(() => net(inputs));
    const { indices: predicted } = torch.max(outputs.data, 1);
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(golden.losses[i], 5));
    expect(Array.from(predicted.dataSync(), Number)).toEqual(golden.predicted);
    (Array.from(outputs.dataSync() as Float32Array) as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.outputs[i], 4));
  });
});
