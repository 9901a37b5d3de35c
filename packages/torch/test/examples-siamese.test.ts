import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples siamese_network/main.py translated line by line, as a new user would, with torchvision's resnet18
// written out (resnet.py's BasicBlock and ResNet, widths divided by 8); fixtures/gen_examples_siamese.py runs the
// original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-siamese', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;
const WIDTH = 8; // torchvision's resnet18 has 64
type Module = InstanceType<typeof nn.Module>;

/** 3x3 convolution with padding */
const conv3x3 = (inPlanes: number, outPlanes: number, stride = 1) => new nn.Conv2d(inPlanes, outPlanes, 3, { stride, padding: 1, bias: false });
/** 1x1 convolution */
const conv1x1 = (inPlanes: number, outPlanes: number, stride = 1) => new nn.Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });

class BasicBlock extends nn.Module {
  static expansion = 1;
  conv1: InstanceType<typeof nn.Conv2d>;
  bn1: InstanceType<typeof nn.BatchNorm2d>;
  relu = new nn.ReLU({ inplace: true });
  conv2: InstanceType<typeof nn.Conv2d>;
  bn2: InstanceType<typeof nn.BatchNorm2d>;
  downsample: Module | null;
  stride: number;

  // Not `readonly downsample` in the parameter list: TypeScript assigns parameter properties before the body, which
  // would register downsample before conv1 and change the order modules() (and so the kaiming init) visits them.
  constructor(inplanes: number, planes: number, stride = 1, downsample: Module | null = null) {
    super();
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = new nn.BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new nn.BatchNorm2d(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  override forward(x: torch.Tensor): torch.Tensor {
    let identity = x;
    let out = this.conv1(x);
    out = this.bn1(out);
    out = this.relu(out);
    out = this.conv2(out);
    out = this.bn2(out);
    if (this.downsample !== null) identity = this.downsample(x);
    out.add_(identity); // out += identity
    out = this.relu(out);
    return out;
  }
}

class ResNet extends nn.Module {
  inplanes = WIDTH;
  conv1: InstanceType<typeof nn.Conv2d> = new nn.Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new nn.BatchNorm2d(this.inplanes);
  relu = new nn.ReLU({ inplace: true });
  maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
  layer1 = this.makeLayer(WIDTH, 2);
  layer2 = this.makeLayer(WIDTH * 2, 2, 2);
  layer3 = this.makeLayer(WIDTH * 4, 2, 2);
  layer4 = this.makeLayer(WIDTH * 8, 2, 2);
  avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
  fc = new nn.Linear(WIDTH * 8 * BasicBlock.expansion, 1000);

  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      } else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
        nn.init.constant_(m.weight!, 1);
        nn.init.constant_(m.bias!, 0);
      }
    }
  }

  makeLayer(planes: number, blocks: number, stride = 1): InstanceType<typeof nn.Sequential> {
    let downsample = null;
    if (stride !== 1 || this.inplanes !== planes * BasicBlock.expansion) {
      downsample = new nn.Sequential(conv1x1(this.inplanes, planes * BasicBlock.expansion, stride), new nn.BatchNorm2d(planes * BasicBlock.expansion));
    }
    const layers: Module[] = [new BasicBlock(this.inplanes, planes, stride, downsample)];
    this.inplanes = planes * BasicBlock.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new BasicBlock(this.inplanes, planes));
    return new nn.Sequential(...layers);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    x = this.maxpool(this.relu(this.bn1(this.conv1(x))));
    x = this.layer4(this.layer3(this.layer2(this.layer1(x))));
    return this.fc(torch.flatten(this.avgpool(x), 1));
  }
}

class SiameseNetwork extends nn.Module {
  resnet: Module;
  fcInFeatures: number;
  fc: InstanceType<typeof nn.Sequential>;
  sigmoid = new nn.Sigmoid();

  constructor() {
    super();
    // get resnet model
    const resnet = new ResNet();
    // over-write the first conv layer to be able to read MNIST images
    resnet.conv1 = new nn.Conv2d(1, WIDTH, [7, 7], { stride: [2, 2], padding: [3, 3], bias: false });
    this.fcInFeatures = resnet.fc.inFeatures;
    // remove the last layer of resnet18 (linear layer which is before avgpool layer)
    this.resnet = new nn.Sequential(...resnet.children().slice(0, -1));
    // add linear layers to compare between the features of the two images
    this.fc = new nn.Sequential(new nn.Linear(this.fcInFeatures * 2, 256), new nn.ReLU({ inplace: true }), new nn.Linear(256, 1));
    // initialize the weights
    this.resnet.apply((m) => this.initWeights(m));
    this.fc.apply((m) => this.initWeights(m));
  }

  initWeights(m: Module): void {
    if (m instanceof nn.Linear) {
      nn.init.xavierUniform_(m.weight);
      m.bias!.data.fill_(0.01);
    }
  }

  forwardOnce(x: torch.Tensor): torch.Tensor {
    let output = this.resnet(x);
    output = output.view(output.size()[0], -1);
    return output;
  }

  override forward(input1: torch.Tensor, input2: torch.Tensor): torch.Tensor {
    // get two images' features
    const output1 = this.forwardOnce(input1);
    const output2 = this.forwardOnce(input2);
    // concatenate both images' features
    let output = torch.cat([output1, output2], 1);
    // pass the concatenation to the linear layers
    output = this.fc(output);
    // pass the out of the linear layers to sigmoid layer
    output = this.sigmoid(output);
    return output;
  }
}

describe('pytorch/examples siamese_network, translated', () => {
  it("trains with BCELoss, Adadelta and StepLR to PyTorch's losses and tests to its loss and count", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const trainSet = new TensorDataset(torch.rand(16, 1, 28, 28), torch.rand(16, 1, 28, 28), torch.randint(0, 2, [16]).float());
    const testSet = new TensorDataset(torch.rand(8, 1, 28, 28), torch.rand(8, 1, 28, 28), torch.randint(0, 2, [8]).float());
    const trainLoader = new DataLoader(trainSet, { batchSize: 8, shuffle: true });
    const testLoader = new DataLoader(testSet, { batchSize: 8 });
    const model = new SiameseNetwork();
    const optimizer = new optim.Adadelta(model.parameters(), { lr: 1.0 });
    const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
    const losses: number[] = [];
    const tests: { loss: number; correct: number }[] = [];
    const lrs: number[] = [];
    let outputs!: torch.Tensor;
    for (let epoch = 1; epoch < 3; epoch++) {
      model.train();
      // we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
      let criterion = new nn.BCELoss();
      for (const [images1, images2, targets] of trainLoader) {
        optimizer.zeroGrad();
        outputs = model(images1, images2).squeeze();
        const loss = criterion(outputs, targets);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      model.eval();
      let testLoss = 0;
      let correct = 0;
      criterion = new nn.BCELoss();
      torch.noGrad(() => {
        for (const [images1, images2, targets] of testLoader) {
          outputs = model(images1, images2).squeeze();
          testLoss += criterion(outputs, targets).sum().item(); // sum up batch loss
          const pred = torch.where(outputs.gt(0.5), 1, 0); // get the index of the max log-probability
          correct += pred.eq(targets.viewAs(pred)).sum().item();
        }
      });
      tests.push({ loss: testLoss / testSet.length, correct });
      scheduler.step();
      lrs.push(optimizer.paramGroups[0].lr);
    }

    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(golden.n_params);
    expect(model.resnet.children().length).toBe(golden.children);
    // Relative 5e-4: Adadelta's normalized steps and BatchNorm over 8 samples (1x1 in layer4) grow PyTorch's and
    // Descent's last-bit differences (the first gradients agree to 2e-5) about tenfold per step.
    const close = (a: number, b: number, label: string) => expect(Math.abs(a / b - 1), label).toBeLessThan(5e-4);
    losses.forEach((loss, i) => close(loss, golden.losses[i], `step ${i}`));
    tests.forEach((t, i) => {
      close(t.loss, golden.tests[i].loss, `test loss ${i}`);
      expect(t.correct).toBe(golden.tests[i].correct);
    });
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(golden.lrs[i], 12));
    (outputs.tolist() as number[]).forEach((o, i) => close(o, golden.outputs[i], `output ${i}`));
  });
});
