import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 1.0 builds its CNNs from lazy modules (nn.LazyConv2d, nn.LazyBatchNorm2d/1d, nn.LazyLinear): LeNet and
// BNLeNet translated line by line, with d2l's layer_summary and init_cnn; fixtures/gen_d2l_lazy.py runs the originals
// with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-lazy', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

const init_cnn = (module: torch.nn.Module): void => {
  if (module.constructor === nn.Linear || module.constructor === nn.Conv2d) nn.init.xavierUniform_((module as torch.nn.Linear).weight);
};

const lenet = (num_classes = 10): torch.nn.Sequential => new nn.Sequential(
  new nn.LazyConv2d(6, { kernelSize: 5, padding: 2 }), new nn.Sigmoid(),
  new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
  new nn.LazyConv2d(16, { kernelSize: 5 }), new nn.Sigmoid(),
  new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
  new nn.Flatten(),
  new nn.LazyLinear(120), new nn.Sigmoid(),
  new nn.LazyLinear(84), new nn.Sigmoid(),
  new nn.LazyLinear(num_classes));

const bn_lenet = (num_classes = 10): torch.nn.Sequential => new nn.Sequential(
  new nn.LazyConv2d(6, { kernelSize: 5 }), new nn.LazyBatchNorm2d(),
  new nn.Sigmoid(), new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
  new nn.LazyConv2d(16, { kernelSize: 5 }), new nn.LazyBatchNorm2d(),
  new nn.Sigmoid(), new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
  new nn.Flatten(), new nn.LazyLinear(120), new nn.LazyBatchNorm1d(),
  new nn.Sigmoid(), new nn.LazyLinear(84), new nn.LazyBatchNorm1d(),
  new nn.Sigmoid(), new nn.LazyLinear(num_classes));

function layer_summary(net: torch.nn.Sequential, X_shape: number[]): string[] {
  let X = torch.randn(...X_shape);
  const lines: string[] = [];
  for (const layer of net) {
    X = layer(X) as Tensor;
    lines.push(`${layer.constructor.name} output shape:\t[${X.shape.join(', ')}]`);
  }
  return lines;
}

function train(net: torch.nn.Module, X: Tensor, y: Tensor, steps: number): number[] {
  const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1 });
  const loss = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    const l = loss(net(X), y);
    l.backward();
    opt.step();
    losses.push(l.item());
  }
  return losses;
}

describe('d2l 1.0 lazy modules', () => {
  torch.manualSeed(0);
  const X = torch.rand(8, 1, 28, 28);
  const y = torch.randint(0, 10, [8]);

  it('LeNet: sized by the first call, printed and initialized as PyTorch', { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const net = lenet();
    expect(String(net)).toBe(golden.lenet_repr_before);
    expect(layer_summary(net, [1, 1, 28, 28])).toEqual(golden.lenet_summary);
    net.apply(init_cnn);
    expect(String(net)).toBe(golden.lenet_repr_after);
    expectClose(train(net, X, y, 3), golden.lenet_losses, 1e-5, 'losses');
    expectClose((net[0] as torch.nn.Conv2d).weight.index(0, 0, 0), golden.lenet_conv1, 1e-5, 'conv1');
  });

  it('BNLeNet with LazyBatchNorm2d and LazyBatchNorm1d', { timeout: 120_000 }, () => {
    torch.manualSeed(2);
    const net = bn_lenet();
    expect(String(net)).toBe(golden.bn_repr_before);
    net(torch.randn(2, 1, 28, 28));
    net.apply(init_cnn);
    expect(String(net)).toBe(golden.bn_repr_after);
    expectClose(train(net, X, y, 3), golden.bn_losses, 1e-4, 'losses');
    expectClose((net[1] as torch.nn.BatchNorm2d).weight!, golden.bn_gamma, 1e-4, 'gamma');
    expectClose((net[13] as torch.nn.BatchNorm1d).runningVar!.index(':5'), golden.bn_running_var, 1e-4, 'running_var');
    expect((net[1] as torch.nn.BatchNorm2d).numBatchesTracked!.item()).toBe(golden.bn_tracked);
    net.eval();
    expectClose(torch.noGrad(() => net(X.index(':2'))), golden.bn_eval, 1e-3, 'eval');
  });

  it("raises PyTorch's errors", () => {
    expect(() => new nn.LazyConv2d(6, 3)(torch.ones(3, 3))).toThrow(golden.errors.dims);
    expect(() => new nn.LazyConv2d(6, 3, { groups: 2 })(torch.ones(1, 3, 5, 5))).toThrow(golden.errors.groups);
  });
});
