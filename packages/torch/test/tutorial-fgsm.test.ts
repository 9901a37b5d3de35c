import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// "Adversarial Example Generation" (FGSM) translated line by line; fixtures/gen_tutorial_fgsm.py runs the original
// (real PyTorch 1.13) with a freshly seeded Net saved and loaded back (map_location='cpu') as the MNIST checkpoint, on
// random 28x28 images mostly labelled with the clean model's guesses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-fgsm', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
const F = torch.nn.functional;
const { DataLoader, TensorDataset } = torch.utils.data;
type Tensor = torch.Tensor;

const epsilons = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const device = torch.device(torch.cuda.isAvailable() ? 'cuda' : 'cpu');

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, { kernelSize: 5 });
  conv2 = new nn.Conv2d(10, 20, { kernelSize: 5 });
  conv2_drop = new nn.Dropout2d();
  fc1 = new nn.Linear(320, 50);
  fc2 = new nn.Linear(50, 10);

  override forward(x: Tensor): Tensor {
    x = F.relu(F.maxPool2d(this.conv1(x), 2));
    x = F.relu(F.maxPool2d(this.conv2_drop(this.conv2(x)), 2));
    x = x.view(-1, 320);
    x = F.relu(this.fc1(x));
    x = F.dropout(x, { training: this.training });
    x = this.fc2(x);
    return F.logSoftmax(x, { dim: 1 });
  }
}

function fgsm_attack(image: Tensor, epsilon: number, data_grad: Tensor): Tensor {
  const sign_data_grad = data_grad.sign();
  let perturbed_image = image.add(sign_data_grad.mul(epsilon));
  perturbed_image = torch.clamp(perturbed_image, 0, 1);
  return perturbed_image;
}

type AdvExample = [number, number, Tensor];

function test(model: Net, test_loader: InstanceType<typeof DataLoader<[Tensor, Tensor]>>, epsilon: number, log: string[]): [number, AdvExample[]] {
  let correct = 0;
  const adv_examples: AdvExample[] = [];
  for (let [data, target] of test_loader) {
    [data, target] = [data.to(device), target.to(device)];
    data.requiresGrad = true;
    let output = model(data);
    const init_pred = output.max(1, { keepdim: true })[1];
    if (init_pred.item() !== target.item()) continue;
    const loss = F.nllLoss(output, target);
    model.zeroGrad();
    loss.backward();
    const data_grad = data.grad!.data;
    const perturbed_data = fgsm_attack(data, epsilon, data_grad);
    output = model(perturbed_data);
    const final_pred = output.max(1, { keepdim: true })[1];
    if (final_pred.item() === target.item()) {
      correct += 1;
      if (epsilon === 0 && adv_examples.length < 5) {
        const adv_ex = perturbed_data.squeeze().detach().cpu();
        adv_examples.push([init_pred.item(), final_pred.item(), adv_ex]);
      }
    } else if (adv_examples.length < 5) {
      const adv_ex = perturbed_data.squeeze().detach().cpu();
      adv_examples.push([init_pred.item(), final_pred.item(), adv_ex]);
    }
  }
  const final_acc = correct / test_loader.length;
  log.push(`Epsilon: ${epsilon}\tTest Accuracy = ${correct} / ${test_loader.length} = ${final_acc}`);
  return [final_acc, adv_examples];
}

// Python's str() of a float keeps a ".0" that JavaScript drops ("Epsilon: 0" is Python's int 0).
const pythonFloat = (line: string): string => line.replace(/= (\d+)$/, '= $1.0');

describe('the FGSM adversarial example tutorial, translated', () => {
  it("attacks to PyTorch's accuracy per epsilon and adversarial examples", { timeout: 120_000 }, async () => {
    torch.manualSeed(0);
    const dir = mkdtempSync(join(tmpdir(), 'descent-fgsm-'));
    const pretrained_model = join(dir, 'lenet_mnist_model.pth');
    await torch.save(new Net().stateDict(), pretrained_model);
    const images = torch.rand(24, 1, 28, 28);
    const model = new Net().to(device);
    model.loadStateDict(await torch.load(pretrained_model, { mapLocation: 'cpu' }));
    rmSync(dir, { recursive: true, force: true });
    model.eval();
    expect(String(model)).toBe(golden.model);
    const labels = torch.noGrad(() => model(images).argmax(1));
    labels.indexPut_(['::4'], torch.randint(0, 10, [6]));
    expect(labels.tolist()).toEqual(golden.labels);
    const test_loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 1, shuffle: true });
    const accuracies: number[] = [];
    const examples: AdvExample[][] = [];
    const log: string[] = [];
    for (const eps of epsilons) {
      const [acc, ex] = test(model, test_loader, eps, log);
      accuracies.push(acc);
      examples.push(ex);
    }
    expect(log.map(pythonFloat)).toEqual(golden.log);
    expect(accuracies).toEqual(golden.accuracies);
    examples.forEach((ex, i) => ex.forEach(([init, final, adv], j) => {
      const [gInit, gFinal, gShape, gSum] = golden.examples[i][j];
      expect([init, final, adv.shape]).toEqual([gInit, gFinal, gShape]);
      expect(adv.sum().item()).toBeCloseTo(gSum, 2);
    }));
  });
});
