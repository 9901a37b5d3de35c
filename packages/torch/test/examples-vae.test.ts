import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples vae/main.py translated line by line, as a new user would; fixtures/gen_examples_vae.py runs the
// original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-vae', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;
const batchSize = 8;

class VAE extends nn.Module {
  fc1 = new nn.Linear(784, 400);
  fc21 = new nn.Linear(400, 20);
  fc22 = new nn.Linear(400, 20);
  fc3 = new nn.Linear(20, 400);
  fc4 = new nn.Linear(400, 784);

  encode(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const h1 = F.relu(this.fc1(x));
    return [this.fc21(h1), this.fc22(h1)];
  }

  reparameterize(mu: torch.Tensor, logvar: torch.Tensor): torch.Tensor {
    const std = torch.exp(logvar.mul(0.5)); // torch.exp(0.5*logvar)
    const eps = torch.randnLike(std);
    return mu.add(eps.mul(std));
  }

  decode(z: torch.Tensor): torch.Tensor {
    const h3 = F.relu(this.fc3(z));
    return torch.sigmoid(this.fc4(h3));
  }

  override forward(x: torch.Tensor): [torch.Tensor, torch.Tensor, torch.Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784));
    const z = this.reparameterize(mu, logvar);
    return [this.decode(z), mu, logvar];
  }
}

// Reconstruction + KL divergence losses summed over all elements and batch
function lossFunction(reconX: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor): torch.Tensor {
  const BCE = F.binaryCrossEntropy(reconX, x.view(-1, 784), { reduction: 'sum' });
  // KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
  const KLD = torch.sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);
  return BCE.add(KLD);
}

describe('pytorch/examples vae, translated', () => {
  it("trains and tests to PyTorch's losses and decodes PyTorch's sample", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const trainSet = new torch.utils.data.TensorDataset(torch.rand(16, 1, 28, 28), torch.randint(0, 10, [16]));
    const testSet = new torch.utils.data.TensorDataset(torch.rand(8, 1, 28, 28), torch.randint(0, 10, [8]));
    const trainLoader = new torch.utils.data.DataLoader(trainSet, { batchSize, shuffle: true });
    const testLoader = new torch.utils.data.DataLoader(testSet, { batchSize, shuffle: false });
    const model = new VAE();
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const losses: number[] = [];
    // `loader.dataset` is typed as a map-style or an iterable dataset, and the iterable kind may have no length:
    // the datasets themselves stand in for `len(train_loader.dataset)`.
    const averages: number[] = [];

    function train(): void {
      model.train();
      let trainLoss = 0;
      for (const [data] of trainLoader) {
        optimizer.zeroGrad();
        const [reconBatch, mu, logvar] = model(data);
        const loss = lossFunction(reconBatch, data, mu, logvar);
        loss.backward();
        trainLoss += loss.item();
        optimizer.step();
        losses.push(loss.item() / data.length); // loss.item() / len(data)
      }
      averages.push(trainLoss / trainSet.length); // len(train_loader.dataset): see below
    }

    function test(): [number, torch.Tensor] {
      model.eval();
      let testLoss = 0;
      let comparison!: torch.Tensor;
      torch.noGrad(() => {
        let i = 0;
        for (const [data] of testLoader) {
          const [reconBatch, mu, logvar] = model(data);
          testLoss += lossFunction(reconBatch, data, mu, logvar).item();
          if (i === 0) {
            const n = Math.min(data.size(0), 8);
            // torch.cat([data[:n], recon_batch.view(args.batch_size, 1, 28, 28)[:n]])
            comparison = torch.cat([data.slice(0, 0, n), reconBatch.view(batchSize, 1, 28, 28).slice(0, 0, n)]);
          }
          i++;
        }
      });
      testLoss /= testSet.length; // len(test_loader.dataset)
      return [testLoss, comparison];
    }

    let testLoss = 0;
    let comparison!: torch.Tensor;
    let sample!: torch.Tensor;
    for (let epoch = 1; epoch < 3; epoch++) {
      train();
      [testLoss, comparison] = test();
      torch.noGrad(() => {
        sample = torch.randn(64, 20);
        sample = model.decode(sample).cpu();
      });
    }

    losses.forEach((loss, i) => expect(loss).toBeCloseTo(golden.losses[i], 3));
    averages.forEach((avg, i) => expect(avg).toBeCloseTo(golden.averages[i], 3));
    expect(testLoss).toBeCloseTo(golden.test_loss, 3);
    expect(comparison.shape).toEqual(golden.comparison_shape);
    expect(comparison.sum().item()).toBeCloseTo(golden.comparison_sum, 2);
    expect(sample.sum().item()).toBeCloseTo(golden.sample_sum, 2);
    (sample.index(0).slice(0, 0, 8).tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.sample_first[i], 5));
  });
});
