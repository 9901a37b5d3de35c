import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// The PyTorch tutorial "What is torch.nn really?" translated line by line, on the synthetic MNIST-shaped data that
// fixtures/gen_tutorial_nn_really.py feeds the originals (real PyTorch 1.13): each refactoring step from logistic
// regression by hand to a CNN behind a wrapped DataLoader.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-nn-really', new URL('./fixtures/', import.meta.url));
const { nn, optim } = torch;
const F = torch.nn.functional;
const { DataLoader, TensorDataset, slice } = torch.utils.data;
type Tensor = torch.Tensor;
type Batch = [Tensor, Tensor];

function close(actual: number | number[], expected: number | number[], tol = 1e-4, label = ''): void {
  const [a, e] = [[actual].flat(), [expected].flat()];
  expect(a.length, label).toBe(e.length);
  a.forEach((g, i) => expect(Math.abs(g - e[i]), `${label}[${i}]: ${g} vs ${e[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(e[i]))));
}

const flat = (t: Tensor): number[] => t.detach().reshape(-1).tolist() as number[];

describe('What is torch.nn really?', { timeout: 120_000 }, () => {
  torch.manualSeed(0);
  const [x_train, y_train] = [torch.rand(320, 784).mul(0.1), torch.randint(0, 10, [320])];
  const [x_valid, y_valid] = [torch.rand(128, 784).mul(0.1), torch.randint(0, 10, [128])];
  const [n] = x_train.shape;
  const bs = 64;
  let lr = 0.5;
  const epochs = 2;
  const accuracy = (out: Tensor, yb: Tensor): Tensor => torch.argmax(out, { dim: 1 }).eq(yb).float().mean();
  let loss_func: (input: Tensor, target: Tensor) => Tensor;
  let xb!: Tensor;
  let yb!: Tensor;

  it('builds logistic regression from scratch', () => {
    close(flat(x_train.index(0, ':5')), golden.x_train_head, 1e-6);
    expect(flat(y_train.index(':5'))).toEqual(golden.y_train_head);
    expect([x_train.shape, String(y_train.min()), String(y_train.max())]).toEqual(golden.shapes);
    torch.manualSeed(1);
    const weights = torch.randn(784, 10).div(Math.sqrt(784));
    weights.requiresGrad_();
    const bias = torch.zeros(10, { requiresGrad: true });
    const log_softmax = (x: Tensor): Tensor => x.sub(x.exp().sum(-1).log().unsqueeze(-1));
    let model = (b: Tensor): Tensor => log_softmax(b.matmul(weights).add(bias));
    xb = x_train.index('0:64');
    const preds = model(xb);
    close(flat(preds.index(0)), golden.preds0, 1e-5, 'preds[0]');
    expect(String(preds.index(0)).split('grad_fn=')[1]).toBe(golden.preds0_grad_fn);
    expect(`torch.Size([${preds.shape.join(', ')}])`).toBe(golden.preds_shape);
    const nll = (input: Tensor, target: Tensor): Tensor => input.index(torch.arange(target.shape[0]), target).mean().neg();
    loss_func = nll;
    yb = y_train.index('0:64');
    close(loss_func(preds, yb).item(), golden.loss0, 1e-5, 'loss');
    expect(String(loss_func(preds, yb)).split('grad_fn=')[1]).toBe(golden.loss0_grad_fn);
    expect(String(accuracy(preds, yb))).toBe(golden.acc0);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
        const start_i = i * bs;
        const end_i = start_i + bs;
        xb = x_train.index(`${start_i}:${end_i}`);
        yb = y_train.index(`${start_i}:${end_i}`);
        const pred = model(xb);
        const loss = loss_func(pred, yb);
        loss.backward();
        torch.noGrad(() => {
          weights.sub_(weights.grad!.mul(lr));
          bias.sub_(bias.grad!.mul(lr));
          weights.grad!.zero_();
          bias.grad!.zero_();
        });
      }
    }
    close([loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()], golden.scratch_final, 1e-4, 'scratch');

    loss_func = F.crossEntropy;
    model = (b: Tensor): Tensor => b.matmul(weights).add(bias);
    close([loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()], golden.cross_entropy, 1e-4, 'cross_entropy');
  });

  // nn.Module, then nn.Linear; fit() updates by hand
  let model: torch.nn.Module;
  const fitByHand = (): void => {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
        const start_i = i * bs;
        xb = x_train.index(`${start_i}:${start_i + bs}`);
        yb = y_train.index(`${start_i}:${start_i + bs}`);
        const loss = loss_func(model(xb), yb);
        loss.backward();
        torch.noGrad(() => {
          for (const p of model.parameters()) p.sub_(p.grad!.mul(lr));
          model.zeroGrad();
        });
      }
    }
  };

  class Mnist_Logistic_Params extends nn.Module {
    weights = new nn.Parameter(torch.randn(784, 10).div(Math.sqrt(784)));
    bias = new nn.Parameter(torch.zeros(10));
    override forward(b: Tensor): Tensor {
      return b.matmul(this.weights).add(this.bias);
    }
  }

  class Mnist_Logistic extends nn.Module {
    lin = new nn.Linear(784, 10);
    override forward(b: Tensor): Tensor {
      return this.lin(b);
    }
  }

  const get_model = (): [torch.nn.Module, torch.optim.SGD] => {
    const m = new Mnist_Logistic();
    return [m, new optim.SGD(m.parameters(), { lr })];
  };

  it('refactors with nn.Module, nn.Linear, optim, TensorDataset and DataLoader', () => {
    torch.manualSeed(2);
    model = new Mnist_Logistic_Params();
    close(loss_func(model(xb), yb).item(), golden.module_loss0, 1e-5, 'module loss');
    fitByHand();
    close(loss_func(model(xb), yb).item(), golden.module_fit, 1e-4, 'module fit');
    torch.manualSeed(3);
    model = new Mnist_Logistic();
    close(loss_func(model(xb), yb).item(), golden.linear_loss0, 1e-5, 'linear loss');
    fitByHand();
    close(loss_func(model(xb), yb).item(), golden.linear_fit, 1e-4, 'linear fit');

    torch.manualSeed(4);
    let opt: torch.optim.SGD;
    [model, opt] = get_model();
    const train_ds = new TensorDataset(x_train, y_train);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
        [xb, yb] = train_ds.get(slice(i * bs, i * bs + bs)) as Batch;
        const loss = loss_func(model(xb), yb);
        loss.backward();
        opt.step();
        opt.zeroGrad();
      }
    }
    close(loss_func(model(xb), yb).item(), golden.dataset_fit, 1e-4, 'dataset fit');

    torch.manualSeed(5);
    [model, opt] = get_model();
    const train_dl = new DataLoader(train_ds, { batchSize: bs });
    for (let epoch = 0; epoch < epochs; epoch++) {
      for ([xb, yb] of train_dl as Iterable<Batch>) {
        const loss = loss_func(model(xb), yb);
        loss.backward();
        opt.step();
        opt.zeroGrad();
      }
    }
    close(loss_func(model(xb), yb).item(), golden.dataloader_fit, 1e-4, 'dataloader fit');
  });

  const train_ds = new TensorDataset(x_train, y_train);
  const valid_ds = new TensorDataset(x_valid, y_valid);
  const get_data = (tds: typeof train_ds, vds: typeof valid_ds, size: number): [Iterable<Batch>, Iterable<Batch>] =>
    [new DataLoader(tds, { batchSize: size, shuffle: true }) as Iterable<Batch>, new DataLoader(vds, { batchSize: size * 2 }) as Iterable<Batch>];

  function loss_batch(m: torch.nn.Module, lf: typeof loss_func, b: Tensor, y: Tensor, opt: torch.optim.Optimizer | null = null): [number, number] {
    const loss = lf(m(b), y);
    if (opt !== null) {
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
    return [loss.item(), b.length];
  }

  function fit(n_epochs: number, m: torch.nn.Module, lf: typeof loss_func, opt: torch.optim.Optimizer, train_dl: Iterable<Batch>, valid_dl: Iterable<Batch>): [number, number][] {
    const printed: [number, number][] = [];
    for (let epoch = 0; epoch < n_epochs; epoch++) {
      m.train();
      for (const [b, y] of train_dl) loss_batch(m, lf, b, y, opt);
      m.eval();
      const pairs = torch.noGrad(() => [...valid_dl].map(([b, y]) => loss_batch(m, lf, b, y)));
      const val_loss = pairs.reduce((s, [l, k]) => s + l * k, 0) / pairs.reduce((s, [, k]) => s + k, 0);
      printed.push([epoch, val_loss]);
    }
    return printed;
  }

  class Lambda extends nn.Module {
    constructor(private readonly func: (x: Tensor) => Tensor) {
      super();
    }
    override forward(x: Tensor): Tensor {
      return this.func(x);
    }
  }

  it('fits with a validation set, then a CNN, then nn.Sequential with Lambda layers', () => {
    torch.manualSeed(6);
    let [train_dl, valid_dl] = get_data(train_ds, valid_ds, bs);
    const [m, o] = get_model();
    close(fit(epochs, m, loss_func, o, train_dl, valid_dl).flat(), golden.fit_validation.flat(), 1e-4, 'validation');

    class Mnist_CNN extends nn.Module {
      conv1 = new nn.Conv2d(1, 16, { kernelSize: 3, stride: 2, padding: 1 });
      conv2 = new nn.Conv2d(16, 16, { kernelSize: 3, stride: 2, padding: 1 });
      conv3 = new nn.Conv2d(16, 10, { kernelSize: 3, stride: 2, padding: 1 });
      override forward(b: Tensor): Tensor {
        b = b.view(-1, 1, 28, 28);
        b = F.relu(this.conv1(b));
        b = F.relu(this.conv2(b));
        b = F.relu(this.conv3(b));
        b = F.avgPool2d(b, 4);
        return b.view(-1, b.size(1));
      }
    }
    lr = 0.1;
    torch.manualSeed(7);
    let cnn: torch.nn.Module = new Mnist_CNN();
    let opt = new optim.SGD(cnn.parameters(), { lr, momentum: 0.9 });
    close(fit(epochs, cnn, loss_func, opt, train_dl, valid_dl).flat(), golden.cnn_fit.flat(), 1e-4, 'cnn');
    expect(String(cnn)).toBe(golden.cnn_repr);

    const preprocess = (x: Tensor): Tensor => x.view(-1, 1, 28, 28);
    torch.manualSeed(8);
    cnn = new nn.Sequential(
      new Lambda(preprocess),
      new nn.Conv2d(1, 16, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.Conv2d(16, 16, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.Conv2d(16, 10, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.AvgPool2d(4),
      new Lambda((x) => x.view(x.size(0), -1)),
    );
    opt = new optim.SGD(cnn.parameters(), { lr, momentum: 0.9 });
    close(fit(epochs, cnn, loss_func, opt, train_dl, valid_dl).flat(), golden.sequential_fit.flat(), 1e-4, 'sequential');
    expect(String(cnn)).toBe(golden.sequential_repr);

    // WrappedDataLoader: preprocessing moved into the data pipeline, and AdaptiveAvgPool2d
    class WrappedDataLoader implements Iterable<Batch> {
      constructor(private readonly dl: Iterable<Batch> & { length: number }, private readonly func: (x: Tensor, y: Tensor) => Batch) {}
      get length(): number {
        return this.dl.length;
      }
      *[Symbol.iterator](): Iterator<Batch> {
        for (const b of this.dl) yield this.func(...b);
      }
    }
    const preprocess2 = (x: Tensor, y: Tensor): Batch => [x.view(-1, 1, 28, 28), y];
    [train_dl, valid_dl] = get_data(train_ds, valid_ds, bs);
    const wrapped_train = new WrappedDataLoader(train_dl as Iterable<Batch> & { length: number }, preprocess2);
    const wrapped_valid = new WrappedDataLoader(valid_dl as Iterable<Batch> & { length: number }, preprocess2);
    expect([wrapped_train.length, wrapped_valid.length]).toEqual(golden.wrapped_len);
    torch.manualSeed(9);
    cnn = new nn.Sequential(
      new nn.Conv2d(1, 16, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.Conv2d(16, 16, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.Conv2d(16, 10, { kernelSize: 3, stride: 2, padding: 1 }),
      new nn.ReLU(),
      new nn.AdaptiveAvgPool2d(1),
      new Lambda((x) => x.view(x.size(0), -1)),
    );
    opt = new optim.SGD(cnn.parameters(), { lr, momentum: 0.9 });
    close(fit(epochs, cnn, loss_func, opt, wrapped_train, wrapped_valid).flat(), golden.wrapped_fit.flat(), 1e-4, 'wrapped');
    expect(String((cnn as torch.nn.Sequential)[6])).toBe(golden.adaptive_repr);
  });
});
