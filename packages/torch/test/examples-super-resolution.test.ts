import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples super_resolution (model.py and main.py's train and test) translated line by line, as a new user
// would; fixtures/gen_examples_super_resolution.py runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-super-resolution', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const { init } = nn;
const F = nn.functional;
const { DataLoader, TensorDataset } = torch.utils.data;
const [upscaleFactor, batchSize, testBatchSize, lr, nEpochs] = [2, 4, 5, 0.01, 2];

class Net extends nn.Module {
  relu = new nn.ReLU();
  conv1 = new nn.Conv2d(1, 64, [5, 5], [1, 1], [2, 2]);
  conv2 = new nn.Conv2d(64, 64, [3, 3], [1, 1], [1, 1]);
  conv3 = new nn.Conv2d(64, 32, [3, 3], [1, 1], [1, 1]);
  conv4: InstanceType<typeof nn.Conv2d>;
  pixelShuffle: InstanceType<typeof nn.PixelShuffle>;

  constructor(upscaleFactor: number) {
    super();
    this.conv4 = new nn.Conv2d(32, upscaleFactor ** 2, [3, 3], [1, 1], [1, 1]);
    this.pixelShuffle = new nn.PixelShuffle(upscaleFactor);
    this.initializeWeights();
  }

  override forward(x: torch.Tensor): torch.Tensor {
    x = this.relu(this.conv1(x));
    x = this.relu(this.conv2(x));
    x = this.relu(this.conv3(x));
    x = this.pixelShuffle(this.conv4(x));
    return x;
  }

  initializeWeights(): void {
    init.orthogonal_(this.conv1.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv2.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv3.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv4.weight);
  }
}

describe('pytorch/examples super_resolution, translated', () => {
  it("trains with MSELoss and Adam to PyTorch's losses and PSNRs", { timeout: 120_000 }, () => {
    torch.manualSeed(123);
    const trainTarget = torch.rand(8, 1, 16, 16);
    const testTarget = torch.rand(5, 1, 16, 16);
    const trainingDataLoader = new DataLoader(new TensorDataset(F.avgPool2d(trainTarget, 2), trainTarget), { batchSize, shuffle: true });
    const testingDataLoader = new DataLoader(new TensorDataset(F.avgPool2d(testTarget, 2), testTarget), { batchSize: testBatchSize, shuffle: false });
    const model = new Net(upscaleFactor);
    const criterion = new nn.MSELoss();
    const optimizer = new optim.Adam(model.parameters(), { lr });
    const losses: number[] = [];
    const averages: number[] = [];
    const psnrs: number[] = [];

    function train(): void {
      let epochLoss = 0;
      for (const batch of trainingDataLoader) {
        const [input, target] = [batch[0], batch[1]];
        optimizer.zeroGrad();
        const loss = criterion(model(input), target);
        epochLoss += loss.item();
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      averages.push(epochLoss / trainingDataLoader.length); // len(training_data_loader)
    }

    function test(): void {
      let avgPsnr = 0;
      torch.noGrad(() => {
        for (const batch of testingDataLoader) {
          const [input, target] = [batch[0], batch[1]];
          const prediction = model(input);
          const mse = criterion(prediction, target);
          const psnr = 10 * Math.log10(1 / mse.item());
          avgPsnr += psnr;
        }
      });
      psnrs.push(avgPsnr / testingDataLoader.length);
    }

    for (let epoch = 1; epoch < nEpochs + 1; epoch++) {
      train();
      test();
    }
    // Adam at lr=0.01 overshoots on the second step (the loss jumps to ~30), as the original does on this data: the
    // tolerances are relative to that scale.
    losses.forEach((loss, i) => expect(Math.abs(loss - golden.losses[i]), `iteration ${i}`).toBeLessThan(1e-4 * Math.max(1, golden.losses[i])));
    averages.forEach((avg, i) => expect(Math.abs(avg - golden.averages[i])).toBeLessThan(1e-4 * Math.max(1, golden.averages[i])));
    psnrs.forEach((psnr, i) => expect(psnr).toBeCloseTo(golden.psnrs[i], 3));
    (model.conv4.bias!.tolist() as number[]).forEach((b, i) => expect(b).toBeCloseTo(golden.conv4_bias[i], 4));
  });
});
