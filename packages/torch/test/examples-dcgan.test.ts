import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples dcgan/main.py translated line by line (scaled to 16x16 images), as a new user would;
// fixtures/gen_examples_dcgan.py runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-dcgan', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const [nz, ngf, ndf, nc] = [8, 4, 4, 3];
const [batchSize, lr, beta1, niter] = [4, 0.0002, 0.5, 2];

// custom weights initialization called on netG and netD
function weightsInit(m: torch.nn.Module): void {
  const classname = m.constructor.name;
  const p = m as unknown as { weight: torch.Tensor; bias: torch.Tensor };
  if (classname.includes('Conv')) {
    p.weight.data.normal_(0.0, 0.02); //  m.weight.data.normal_(0.0, 0.02)
  } else if (classname.includes('BatchNorm')) {
    p.weight.data.normal_(1.0, 0.02);
    p.bias.data.fill_(0);
  }
}

class Generator extends nn.Module {
  main = new nn.Sequential(
    // input is Z, going into a convolution
    new nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, { bias: false }),
    new nn.BatchNorm2d(ngf * 4),
    new nn.ReLU(true),
    // state size. (ngf*4) x 4 x 4
    new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ngf * 2),
    new nn.ReLU(true),
    // state size. (ngf*2) x 8 x 8
    new nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, { bias: false }),
    new nn.Tanh(),
    // state size. (nc) x 16 x 16
  );

  override forward(input: torch.Tensor): torch.Tensor {
    return this.main(input);
  }
}

class Discriminator extends nn.Module {
  main = new nn.Sequential(
    // input is (nc) x 16 x 16
    new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf) x 8 x 8
    new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
    new nn.BatchNorm2d(ndf * 2),
    new nn.LeakyReLU(0.2, { inplace: true }),
    // state size. (ndf*2) x 4 x 4
    new nn.Conv2d(ndf * 2, 1, 4, 1, 0, { bias: false }),
    new nn.Sigmoid(),
  );

  override forward(input: torch.Tensor): torch.Tensor {
    const output = this.main(input);
    return output.view(-1, 1).squeeze(1);
  }
}

describe('pytorch/examples dcgan, translated', () => {
  it("trains D then G with BCELoss and Adam to PyTorch's losses and fakes", { timeout: 120_000 }, () => {
    torch.manualSeed(7);
    const images = torch.rand(8, nc, 16, 16).mul(2).sub(1); // torch.rand(8, nc, 16, 16) * 2 - 1
    const dataset = new torch.utils.data.TensorDataset(images);
    const dataloader = new torch.utils.data.DataLoader(dataset, { batchSize, shuffle: true });

    const netG = new Generator();
    netG.apply(weightsInit);
    const netD = new Discriminator();
    netD.apply(weightsInit);

    const criterion = new nn.BCELoss();
    const fixedNoise = torch.randn(batchSize, nz, 1, 1);
    const realLabel = 1;
    const fakeLabel = 0;

    const optimizerD = new optim.Adam(netD.parameters(), { lr, betas: [beta1, 0.999] });
    const optimizerG = new optim.Adam(netG.parameters(), { lr, betas: [beta1, 0.999] });

    const steps: Record<string, number>[] = [];
    for (let epoch = 0; epoch < niter; epoch++) {
      for (const data of dataloader) {
        // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        netD.zeroGrad();
        const realCpu = data[0];
        const batchSize = realCpu.size(0);
        const label = torch.full([batchSize], realLabel, { dtype: realCpu.dtype });
        let output = netD(realCpu);
        const errDReal = criterion(output, label);
        errDReal.backward();
        const Dx = output.mean().item();
        // train with fake
        const noise = torch.randn(batchSize, nz, 1, 1);
        const fake = netG(noise);
        label.fill_(fakeLabel);
        output = netD(fake.detach());
        const errDFake = criterion(output, label);
        errDFake.backward();
        const DGz1 = output.mean().item();
        const errD = errDReal.add(errDFake);
        optimizerD.step();
        // (2) Update G network: maximize log(D(G(z)))
        netG.zeroGrad();
        label.fill_(realLabel); // fake labels are real for generator cost
        output = netD(fake);
        const errG = criterion(output, label);
        errG.backward();
        const DGz2 = output.mean().item();
        optimizerG.step();
        steps.push({ errD: errD.item(), errG: errG.item(), D_x: Dx, D_G_z1: DGz1, D_G_z2: DGz2 });
      }
    }
    const fake = netG(fixedNoise).detach();

    expect(steps.length).toBe(golden.steps.length);
    steps.forEach((step, i) => {
      for (const key of ['errD', 'errG', 'D_x', 'D_G_z1', 'D_G_z2']) expect(step[key], `step ${i} ${key}`).toBeCloseTo(golden.steps[i][key], 5);
    });
    expect(fake.sum().item()).toBeCloseTo(golden.fake_sum, 3);
    (fake.index(0, 0, 0).tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.fake_first[i], 5));
    const bn = netG.main[1] as InstanceType<typeof nn.BatchNorm2d>;
    (bn.runningMean!.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.g_bn_running_mean[i], 5));
    const last = (netD.main[5] as InstanceType<typeof nn.Conv2d>).weight.reshape(-1).slice(0, 0, 8); // .reshape(-1)[:8]
    (last.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.d_last_weight[i], 6));
  });
});
