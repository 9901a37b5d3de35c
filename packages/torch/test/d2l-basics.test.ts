import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 3.2 (linear regression from scratch) and 4.4 (softmax regression from scratch) translated line by line;
// fixtures/gen_d2l_basics.py runs the originals with real PyTorch 1.13 and records Python's random.shuffle orders.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-basics', new URL('./fixtures/', import.meta.url));
type Tensor = torch.Tensor;

function close(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

function synthetic_data(w: Tensor, b: number, num_examples: number): [Tensor, Tensor] {
  const X = torch.normal(0, 1, [num_examples, w.length]);
  const y = torch.matmul(X, w).add(b);
  y.add_(torch.normal(0, 0.01, y.shape));
  return [X, y.reshape([-1, 1])];
}

function* data_iter(batch_size: number, features: Tensor, labels: Tensor, order: number[]): Generator<[Tensor, Tensor]> {
  const num_examples = features.length;
  const indices = order; // Python's random.shuffle(indices), replayed
  for (let i = 0; i < num_examples; i += batch_size) {
    const batch_indices = torch.tensor(indices.slice(i, Math.min(i + batch_size, num_examples)));
    yield [features.index(batch_indices), labels.index(batch_indices)];
  }
}

const linreg = (X: Tensor, w: Tensor, b: Tensor): Tensor => torch.matmul(X, w).add(b);
const squared_loss = (y_hat: Tensor, y: Tensor): Tensor => y_hat.sub(y.reshape(y_hat.shape)).pow(2).div(2);

function sgd(params: Tensor[], lr: number, batch_size: number): void {
  torch.noGrad(() => {
    for (const param of params) {
      param.sub_(torch.mul(lr, param.grad!).div(batch_size));
      param.grad!.zero_();
    }
  });
}

describe('d2l 3.2 linear regression from scratch', () => {
  it('generates data and fits it as PyTorch', () => {
    torch.manualSeed(0);
    const true_w = torch.tensor([2, -3.4]);
    const true_b = 4.2;
    const [features, labels] = synthetic_data(true_w, true_b, 100);
    close(features.index(0), golden.first[0], 1e-6, 'features[0]');
    close(labels.index(0), golden.first[1], 1e-6, 'labels[0]');
    const w = torch.normal(0, 0.01, { size: [2, 1], requiresGrad: true });
    const b = torch.zeros(1, { requiresGrad: true });
    const [lr, num_epochs, batch_size] = [0.03, 3, 10];
    const [net, loss] = [linreg, squared_loss];
    const lines: number[] = [];
    for (let epoch = 0; epoch < num_epochs; epoch++) {
      for (const [X, y] of data_iter(batch_size, features, labels, golden.orders[epoch])) {
        const l = loss(net(X, w, b), y);
        l.sum().backward();
        sgd([w, b], lr, batch_size);
      }
      const train_l = torch.noGrad(() => loss(net(features, w, b), labels));
      lines.push(Number(train_l.mean()));
    }
    close(lines, golden.train_l, 1e-5, 'train loss');
    close(true_w.sub(w.reshape(true_w.shape)), golden.w_error, 1e-4, 'w error');
    close([true_b - b.item()], [golden.b_error], 1e-4, 'b error');

    // 4.4: softmax regression from scratch, continuing the same random stream
    const softmax = (X: Tensor): Tensor => {
      const X_exp = torch.exp(X);
      const partition = X_exp.sum(1, { keepdims: true });
      return X_exp.div(partition);
    };
    const Xn = torch.normal(0, 1, [2, 5]);
    const X_prob = softmax(Xn);
    close(X_prob, golden.softmax[0], 1e-6, 'softmax');
    close(X_prob.sum(1), golden.softmax[1], 1e-6, 'rows');
    const yy = torch.tensor([0, 2]);
    let y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]);
    expect(String(y_hat.index([0, 1], yy))).toBe(golden.picked);
    const cross_entropy = (yh: Tensor, y: Tensor): Tensor => torch.log(yh.index(torch.arange(yh.length), y)).neg();
    expect(String(cross_entropy(y_hat, yy))).toBe(golden.cross_entropy);
    const accuracy = (yh: Tensor, y: Tensor): number => {
      if (yh.shape.length > 1 && yh.shape[1] > 1) yh = yh.argmax({ axis: 1 });
      const cmp = yh.type(y.dtype).eq(y);
      return Number(cmp.type(y.dtype).sum());
    };
    expect(accuracy(y_hat, yy) / yy.length).toBe(golden.accuracy);
    const [num_inputs, num_outputs] = [12, 3];
    const W = torch.normal(0, 0.01, { size: [num_inputs, num_outputs], requiresGrad: true });
    const bias = torch.zeros(num_outputs, { requiresGrad: true });
    const softmaxNet = (X: Tensor): Tensor => softmax(torch.matmul(X.reshape([-1, W.shape[0]]), W).add(bias));
    const Xs = torch.rand(20, 3, 2, 2);
    const ys = torch.randint(0, 3, [20]);
    const losses: number[] = [];
    const accs: number[] = [];
    for (let step = 0; step < 5; step++) {
      y_hat = softmaxNet(Xs);
      const l = cross_entropy(y_hat, ys);
      l.mean().backward();
      sgd([W, bias], 0.5, 1);
      losses.push(Number(l.sum()));
      accs.push(accuracy(y_hat, ys));
    }
    close(losses, golden.softmax_losses, 1e-5, 'softmax losses');
    expect(accs).toEqual(golden.softmax_accs);
  });
});
