import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples imagenet/main.py's train and validate loops, AverageMeter and accuracy() translated line by line,
// as a new user would, with a small CNN for models.resnet18(); fixtures/gen_examples_imagenet.py runs the original on
// the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-imagenet', new URL('./fixtures/', import.meta.url));

const { nn } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;
const [lr, momentum, weightDecay, epochs] = [0.1, 0.9, 1e-4, 3];

/** Computes and stores the average and current value */
class AverageMeter {
  val = 0;
  avg = 0;
  sum = 0;
  count = 0;

  constructor(readonly name: string, readonly fmt = ':f') {
    this.reset();
  }

  reset(): void {
    this.val = 0;
    this.avg = 0;
    this.sum = 0;
    this.count = 0;
  }

  update(val: number, n = 1): void {
    this.val = val;
    this.sum += val * n;
    this.count += n;
    this.avg = this.sum / this.count;
  }
}

/** Computes the accuracy over the k top predictions for the specified values of k */
function accuracy(output: torch.Tensor, target: torch.Tensor, topk: number[] = [1]): torch.Tensor[] {
  return torch.noGrad(() => {
    const maxk = Math.max(...topk);
    const batchSize = target.size(0);
    let [, pred] = output.topk(maxk, 1, true, true);
    pred = pred.t();
    const correct = pred.eq(target.view(1, -1).expandAs(pred));
    const res: torch.Tensor[] = [];
    for (const k of topk) {
      const correctK = correct.slice(0, 0, k).reshape(-1).float().sum(0, { keepdim: true }); // correct[:k]
      res.push(correctK.mul_(100.0 / batchSize));
    }
    return res;
  });
}

describe('pytorch/examples imagenet train and validate loops, translated', () => {
  it("trains with SGD (momentum, weight decay) and StepLR to PyTorch's losses and top-k accuracies", { timeout: 120_000 }, () => {
    torch.manualSeed(0);
    const trainLoader = new DataLoader(new TensorDataset(torch.randn(24, 3, 16, 16), torch.randint(0, 10, [24])), { batchSize: 8, shuffle: true });
    const valLoader = new DataLoader(new TensorDataset(torch.randn(16, 3, 16, 16), torch.randint(0, 10, [16])), { batchSize: 8, shuffle: false });
    const model = new nn.Sequential(
      new nn.Conv2d(3, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU({ inplace: true }), new nn.MaxPool2d(2),
      new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU({ inplace: true }),
      new nn.AdaptiveAvgPool2d([1, 1]), new nn.Flatten(), new nn.Linear(32, 10),
    );
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new torch.optim.SGD(model.parameters(), lr, { momentum, weightDecay });
    const scheduler = new torch.optim.lrScheduler.StepLR(optimizer, { stepSize: 2, gamma: 0.1 });
    const batches: { loss: number; acc1: number; acc5: number }[] = [];
    const meters: { loss: number; top1: number; top5: number }[] = [];
    const vals: { top1: number; top5: number }[] = [];
    const lrs: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const losses = new AverageMeter('Loss', ':.4e');
      const top1 = new AverageMeter('Acc@1', ':6.2f');
      const top5 = new AverageMeter('Acc@5', ':6.2f');
      model.train();
      for (const [images, target] of trainLoader) {
        const output = model(images);
        const loss = criterion(output, target);
        const [acc1, acc5] = accuracy(output, target, [1, 5]);
        losses.update(loss.item(), images.size(0));
        top1.update(acc1.index(0).item(), images.size(0)); // top1.update(acc1[0], ...): the meter keeps numbers
        top5.update(acc5.index(0).item(), images.size(0));
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        batches.push({ loss: loss.item(), acc1: acc1.index(0).item(), acc5: acc5.index(0).item() });
      }
      meters.push({ loss: losses.avg, top1: top1.avg, top5: top5.avg });
      // validate
      const v1 = new AverageMeter('Acc@1', ':6.2f');
      const v5 = new AverageMeter('Acc@5', ':6.2f');
      model.eval();
      torch.noGrad(() => {
        for (const [images, target] of valLoader) {
          const output = model(images);
          const [acc1, acc5] = accuracy(output, target, [1, 5]);
          v1.update(acc1.index(0).item(), images.size(0));
          v5.update(acc5.index(0).item(), images.size(0));
        }
      });
      vals.push({ top1: v1.avg, top5: v5.avg });
      scheduler.step();
      lrs.push(optimizer.paramGroups[0].lr);
    }

    batches.forEach((b, i) => {
      expect(b.loss, `batch ${i} loss`).toBeCloseTo(golden.batches[i].loss, 4);
      expect(b.acc1, `batch ${i} acc1`).toBe(golden.batches[i].acc1);
      expect(b.acc5, `batch ${i} acc5`).toBe(golden.batches[i].acc5);
    });
    meters.forEach((m, i) => {
      expect(m.loss).toBeCloseTo(golden.meters[i].loss, 4);
      expect(m.top1).toBeCloseTo(golden.meters[i].top1, 4); // PyTorch's meter sums float32 tensors
      expect(m.top5).toBeCloseTo(golden.meters[i].top5, 4);
    });
    expect(vals).toEqual(golden.vals);
    lrs.forEach((v, i) => expect(v).toBeCloseTo(golden.lrs[i], 15));
  });
});
