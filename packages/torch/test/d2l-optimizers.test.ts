import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai chapter 12 (optimization algorithms) translated line by line: momentum, adagrad, rmsprop, adadelta and adam
// from scratch (state tensors updated in place, `s[:] = ...`, `p[:] -= ...` under torch.no_grad) run by train_ch11,
// and torch.optim's SGD/Adagrad/RMSprop/Adadelta/Adam by train_concise_ch11, on a shuffled DataLoader;
// fixtures/gen_d2l_scratch.py runs the originals with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-scratch', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;
type Hyper = Record<string, number>;
type Trainer = (params: Tensor[], states: unknown, hyperparams: Hyper) => void;

function expectClose(actual: number[], expected: number[], tol = 1e-5, label = ''): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

const flat = (t: Tensor): number[] => t.detach().reshape(-1).tolist() as number[];
const grad = (p: Tensor): Tensor => p.grad as Tensor;

const init_momentum_states = (feature_dim: number): Tensor[] => [torch.zeros([feature_dim, 1]), torch.zeros(1)];

function sgd_momentum(params: Tensor[], states: Tensor[], hyperparams: Hyper): void {
  params.forEach((p, i) => {
    const v = states[i];
    torch.noGrad(() => {
      v.indexPut_([':'], torch.mul(hyperparams.momentum, v).add(grad(p))); // v[:] = momentum * v + p.grad
      p.index(':').sub_(torch.mul(hyperparams.lr, v)); // p[:] -= lr * v
    });
    grad(p).data.zero_();
  });
}

const init_adagrad_states = init_momentum_states;

function adagrad(params: Tensor[], states: Tensor[], hyperparams: Hyper): void {
  const eps = 1e-6;
  params.forEach((p, i) => {
    const s = states[i];
    torch.noGrad(() => {
      s.index(':').add_(torch.square(grad(p)));
      p.index(':').sub_(torch.mul(hyperparams.lr, grad(p)).div(torch.sqrt(s.add(eps))));
    });
    grad(p).data.zero_();
  });
}

const init_rmsprop_states = init_momentum_states;

function rmsprop(params: Tensor[], states: Tensor[], hyperparams: Hyper): void {
  const [gamma, eps] = [hyperparams.gamma, 1e-6];
  params.forEach((p, i) => {
    const s = states[i];
    torch.noGrad(() => {
      s.indexPut_([':'], torch.mul(gamma, s).add(torch.mul(1 - gamma, torch.square(grad(p)))));
      p.index(':').sub_(torch.mul(hyperparams.lr, grad(p)).div(torch.sqrt(s.add(eps))));
    });
    grad(p).data.zero_();
  });
}

function init_adadelta_states(feature_dim: number): [Tensor, Tensor][] {
  const [s_w, s_b] = [torch.zeros([feature_dim, 1]), torch.zeros(1)];
  const [delta_w, delta_b] = [torch.zeros([feature_dim, 1]), torch.zeros(1)];
  return [[s_w, delta_w], [s_b, delta_b]];
}

function adadelta(params: Tensor[], states: [Tensor, Tensor][], hyperparams: Hyper): void {
  const [rho, eps] = [hyperparams.rho, 1e-5];
  params.forEach((p, i) => {
    const [s, delta] = states[i];
    torch.noGrad(() => {
      s.indexPut_([':'], torch.mul(rho, s).add(torch.mul(1 - rho, torch.square(grad(p)))));
      const g = torch.sqrt(delta.add(eps)).div(torch.sqrt(s.add(eps))).mul(grad(p));
      p.index(':').sub_(g);
      delta.indexPut_([':'], torch.mul(rho, delta).add(torch.mul(1 - rho, g).mul(g)));
    });
    grad(p).data.zero_();
  });
}

const init_adam_states = init_adadelta_states;

function adam(params: Tensor[], states: [Tensor, Tensor][], hyperparams: Hyper): void {
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-6];
  params.forEach((p, i) => {
    const [v, s] = states[i];
    torch.noGrad(() => {
      v.indexPut_([':'], torch.mul(beta1, v).add(torch.mul(1 - beta1, grad(p))));
      s.indexPut_([':'], torch.mul(beta2, s).add(torch.mul(1 - beta2, torch.square(grad(p)))));
      const v_bias_corr = v.div(1 - beta1 ** hyperparams.t);
      const s_bias_corr = s.div(1 - beta2 ** hyperparams.t);
      p.index(':').sub_(torch.mul(hyperparams.lr, v_bias_corr).div(torch.sqrt(s_bias_corr).add(eps)));
    });
    grad(p).data.zero_();
  });
  hyperparams.t += 1;
}

function load_array(data_arrays: Tensor[], batch_size: number, is_train = true): torch.utils.data.DataLoader<Tensor[]> {
  const dataset = new torch.utils.data.TensorDataset(...data_arrays);
  return new torch.utils.data.DataLoader(dataset, batch_size, { shuffle: is_train });
}

const linreg = (X: Tensor, w: Tensor, b: Tensor): Tensor => torch.matmul(X, w).add(b);
const squared_loss = (y_hat: Tensor, y: Tensor): Tensor => y_hat.sub(y.reshape(y_hat.shape)).pow(2).div(2);

function train_ch11(trainer_fn: Trainer, states: unknown, hyperparams: Hyper, data_iter: torch.utils.data.DataLoader<Tensor[]>, feature_dim: number, num_epochs = 2): [number[], number[]] {
  const w = torch.normal(0.0, 0.01, { size: [feature_dim, 1], requiresGrad: true });
  const b = torch.zeros([1], { requiresGrad: true });
  const [net, loss] = [(X: Tensor) => linreg(X, w, b), squared_loss];
  const losses: number[] = [];
  for (let epoch = 0; epoch < num_epochs; epoch++) {
    for (const [X, y] of data_iter as Iterable<Tensor[]>) {
      const l = loss(net(X), y).mean();
      l.backward();
      trainer_fn([w, b], states, hyperparams);
      losses.push(l.item());
    }
  }
  return [[...flat(w), ...flat(b)], losses];
}

type OptimizerClass = new (params: Iterable<torch.nn.Parameter>, options: Hyper) => torch.optim.Optimizer;

function train_concise_ch11(trainer_fn: OptimizerClass, hyperparams: Hyper, data_iter: torch.utils.data.DataLoader<Tensor[]>, num_epochs = 2): [number[], number[]] {
  const net = new nn.Sequential(new nn.Linear(5, 1));
  net.apply((module) => {
    if (module.constructor === nn.Linear) nn.init.normal_((module as torch.nn.Linear).weight, { std: 0.01 });
  });
  const optimizer = new trainer_fn(net.parameters(), hyperparams);
  const loss = new nn.MSELoss({ reduction: 'none' });
  const losses: number[] = [];
  for (let epoch = 0; epoch < num_epochs; epoch++) {
    for (const [X, target] of data_iter as Iterable<Tensor[]>) {
      optimizer.zeroGrad();
      const out = net(X);
      const y = target.reshape(out.shape);
      const l = loss(out, y);
      l.mean().backward();
      optimizer.step();
      losses.push(l.mean().item());
    }
  }
  const linear = net[0] as torch.nn.Linear;
  return [[...flat(linear.weight), ...flat(linear.bias!)], losses];
}

describe('d2l 12 optimization algorithms', () => {
  torch.manualSeed(0);
  const features = torch.randn(60, 5);
  const labels = features.matmul(torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0])).add(0.3).add(torch.mul(0.1, torch.randn(60)));
  const data_iter = load_array([features, labels], 10);

  it('draws the same data', () => {
    expectClose(flat(features), golden.features, 0);
    expectClose(flat(labels), golden.labels, 1e-6);
  });

  const scratch: [string, Trainer, (d: number) => unknown, Hyper][] = [
    ['momentum', sgd_momentum as Trainer, init_momentum_states, { lr: 0.02, momentum: 0.5 }],
    ['adagrad', adagrad as Trainer, init_adagrad_states, { lr: 0.1 }],
    ['rmsprop', rmsprop as Trainer, init_rmsprop_states, { lr: 0.01, gamma: 0.9 }],
    ['adadelta', adadelta as Trainer, init_adadelta_states, { rho: 0.9 }],
    ['adam', adam as Trainer, init_adam_states, { lr: 0.01, t: 1 }],
  ];
  it.each(scratch)('%s from scratch', (name, fn, init, hp) => {
    torch.manualSeed(1);
    const [params, losses] = train_ch11(fn, init(5), hp, data_iter, 5);
    expectClose(losses, golden.optimizers[name].losses, 1e-5, `${name} losses`);
    expectClose(params, golden.optimizers[name].params, 1e-5, `${name} params`);
  });

  const concise: [string, OptimizerClass, Hyper][] = [
    ['SGD', torch.optim.SGD as unknown as OptimizerClass, { lr: 0.02, momentum: 0.5 }],
    ['Adagrad', torch.optim.Adagrad as unknown as OptimizerClass, { lr: 0.1 }],
    ['RMSprop', torch.optim.RMSprop as unknown as OptimizerClass, { lr: 0.01, alpha: 0.9 }],
    ['Adadelta', torch.optim.Adadelta as unknown as OptimizerClass, { rho: 0.9 }],
    ['Adam', torch.optim.Adam as unknown as OptimizerClass, { lr: 0.01 }],
  ];
  it.each(concise)('torch.optim.%s, concisely', (name, cls, hp) => {
    torch.manualSeed(1);
    const [params, losses] = train_concise_ch11(cls, hp, data_iter);
    expectClose(losses, golden.optimizers[name].losses, 1e-5, `${name} losses`);
    expectClose(params, golden.optimizers[name].params, 1e-5, `${name} params`);
  });
});
