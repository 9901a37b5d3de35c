import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 9.5 (RNN from scratch: one_hot on `X.T`, grad clipping by hand, the sgd updater, predict_ch8) and 11.2
// (Nadaraya-Watson kernel regression, parametric and not) translated line by line; fixtures/gen_d2l_scratch.py runs
// the originals with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-scratch', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
const F = torch.nn.functional;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

// --- 9.5 RNN from scratch ---
function get_params(vocab_size: number, num_hiddens: number, device: string): Tensor[] {
  const [num_inputs, num_outputs] = [vocab_size, vocab_size];
  const normal = (shape: number[]): Tensor => torch.randn({ size: shape, device }).mul(0.01);
  const W_xh = normal([num_inputs, num_hiddens]);
  const W_hh = normal([num_hiddens, num_hiddens]);
  const b_h = torch.zeros(num_hiddens, { device });
  const W_hq = normal([num_hiddens, num_outputs]);
  const b_q = torch.zeros(num_outputs, { device });
  const params = [W_xh, W_hh, b_h, W_hq, b_q];
  for (const param of params) param.requiresGrad_(true);
  return params;
}

const init_rnn_state = (batch_size: number, num_hiddens: number, device: string): [Tensor] => [torch.zeros([batch_size, num_hiddens], { device })];

function rnn(inputs: Tensor, state: Tensor[], params: Tensor[]): [Tensor, Tensor[]] {
  const [W_xh, W_hh, b_h, W_hq, b_q] = params;
  let [H] = state;
  const outputs: Tensor[] = [];
  for (const X of inputs.unbind()) { // Python: for X in inputs (a tensor is not iterable here)
    H = torch.tanh(torch.mm(X, W_xh).add(torch.mm(H, W_hh)).add(b_h));
    const Y = torch.mm(H, W_hq).add(b_q);
    outputs.push(Y);
  }
  return [torch.cat(outputs, { dim: 0 }), [H]];
}

class RNNModelScratch {
  params: Tensor[];
  constructor(public vocab_size: number, public num_hiddens: number, device: string, get_params_fn: typeof get_params,
    public init_state: typeof init_rnn_state, public forward_fn: typeof rnn) {
    this.params = get_params_fn(vocab_size, num_hiddens, device);
  }
  call(X: Tensor, state: Tensor[]): [Tensor, Tensor[]] {
    X = F.oneHot(X.T, this.vocab_size).type(torch.float32);
    return this.forward_fn(X, state, this.params);
  }
  begin_state(batch_size: number, device: string): Tensor[] {
    return this.init_state(batch_size, this.num_hiddens, device);
  }
}

function predict_ch8(prefix: string, num_preds: number, net: RNNModelScratch, vocab: Record<string, number>, idx_to_token: string[], device: string): string {
  let state = net.begin_state(1, device);
  const outputs = [vocab[prefix[0]]];
  const get_input = (): Tensor => torch.tensor([outputs[outputs.length - 1]], { device }).reshape([1, 1]);
  for (const y of prefix.slice(1)) {
    [, state] = net.call(get_input(), state);
    outputs.push(vocab[y]);
  }
  for (let k = 0; k < num_preds; k++) {
    let y: Tensor;
    [y, state] = net.call(get_input(), state);
    outputs.push(Number(y.argmax({ dim: 1 }).reshape(1)));
  }
  return outputs.map((i) => idx_to_token[i]).join('');
}

function grad_clipping(net: RNNModelScratch, theta: number): void {
  const params = net.params;
  // Python's sum() starts from 0: 0 + tensor + tensor ...
  const norm = torch.sqrt(params.reduce<Tensor | number>((acc, p) => torch.add(acc, torch.sum((p.grad as Tensor).pow(2))), 0) as Tensor);
  if (Number(norm.gt(theta))) {
    for (const param of params) {
      const g = param.grad as Tensor;
      g.index(':').mul_(torch.div(theta, norm)); // param.grad[:] *= theta / norm
    }
  }
}

function sgd(params: Tensor[], lr: number, batch_size: number): void {
  torch.noGrad(() => {
    for (const param of params) {
      param.sub_(torch.mul(lr, param.grad as Tensor).div(batch_size));
      (param.grad as Tensor).zero_();
    }
  });
}

function* seq_data_iter_sequential(corpus: number[], batch_size: number, num_steps: number, offset: number): Generator<[Tensor, Tensor]> {
  const num_tokens = Math.floor((corpus.length - offset - 1) / batch_size) * batch_size;
  let Xs = torch.tensor(corpus.slice(offset, offset + num_tokens));
  let Ys = torch.tensor(corpus.slice(offset + 1, offset + 1 + num_tokens));
  [Xs, Ys] = [Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)];
  const num_batches = Math.floor(Xs.shape[1] / num_steps);
  for (let i = 0; i < num_steps * num_batches; i += num_steps) {
    yield [Xs.index(':', `${i}:${i + num_steps}`), Ys.index(':', `${i}:${i + num_steps}`)];
  }
}

function train_epoch_ch8(net: RNNModelScratch, train_iter: Iterable<[Tensor, Tensor]>, loss: torch.nn.CrossEntropyLoss, updater: (batch_size: number) => void, device: string, use_random_iter: boolean): number {
  let state: Tensor[] | null = null;
  const metric = [0.0, 0.0];
  for (const [X, Y] of train_iter) {
    if (state === null || use_random_iter) {
      state = net.begin_state(X.shape[0], device);
    } else {
      for (const s of state) s.detach_();
    }
    const y = Y.T.reshape(-1);
    let y_hat: Tensor;
    [y_hat, state] = net.call(X, state);
    const l = loss(y_hat, y.long()).mean();
    l.backward();
    grad_clipping(net, 1);
    updater(1);
    metric[0] += Number(l.mul(y.numel()));
    metric[1] += y.numel();
  }
  return Math.exp(metric[0] / metric[1]);
}

describe('d2l 9.5 RNN from scratch', () => {
  it('one-hot encodes, trains with hand-made clipping and predicts as PyTorch', { timeout: 120_000 }, () => {
    const idx_to_token: string[] = golden.idx_to_token;
    const vocab: Record<string, number> = Object.fromEntries(idx_to_token.map((tok, i) => [tok, i]));
    const corpus: number[] = golden.corpus;
    expect(String(F.oneHot(torch.tensor([0, 2]), Object.keys(vocab).length).index(':', ':6'))).toBe(golden.one_hot);
    const X = torch.arange(10).reshape([2, 5]);
    expect(F.oneHot(X.T, 28).shape).toEqual(golden.one_hot_T_shape);
    torch.manualSeed(2);
    const num_hiddens = 32;
    const net = new RNNModelScratch(idx_to_token.length, num_hiddens, 'cpu', get_params, init_rnn_state, rnn);
    const state = net.begin_state(X.shape[0], 'cpu');
    const [Y, new_state] = net.call(X, state);
    expect([Y.shape, new_state.length, new_state[0].shape]).toEqual(golden.rnn_shapes);
    expect(predict_ch8('time ', 10, net, vocab, idx_to_token, 'cpu')).toBe(golden.predict_untrained);
    const loss = new nn.CrossEntropyLoss();
    const updater = (batch_size: number): void => sgd(net.params, 1, batch_size);
    const ppls: number[] = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      ppls.push(train_epoch_ch8(net, seq_data_iter_sequential(corpus, 4, 8, epoch % 3), loss, updater, 'cpu', false));
    }
    expectClose(ppls, golden.ppls, 1e-4, 'perplexity');
    expect(predict_ch8('time ', 10, net, vocab, idx_to_token, 'cpu')).toBe(golden.predict_trained);
    expectClose(net.params[3].index(':3', ':4'), golden.W_hq, 1e-4, 'W_hq');
  });
});

// --- 11.2 Nadaraya-Watson kernel regression ---
class NWKernelRegression extends nn.Module {
  w: torch.nn.Parameter;
  attention_weights: Tensor | null = null;
  constructor() {
    super();
    this.w = new nn.Parameter(torch.rand([1], { requiresGrad: true }));
  }
  override forward(queries: Tensor, keys: Tensor, values: Tensor): Tensor {
    queries = queries.repeatInterleave(keys.shape[1]).reshape([-1, keys.shape[1]]);
    this.attention_weights = nn.functional.softmax(queries.sub(keys).mul(this.w).pow(2).neg().div(2), { dim: 1 });
    return torch.bmm(this.attention_weights.unsqueeze(1), values.unsqueeze(-1)).reshape(-1);
  }
}

describe('d2l 11.2 Nadaraya-Watson kernel regression', () => {
  it('pools with a Gaussian kernel and trains its width as PyTorch', () => {
    torch.manualSeed(3);
    const n_train = 50;
    const [x_train] = torch.sort(torch.rand(n_train).mul(5));
    const f = (x: Tensor): Tensor => torch.mul(2, torch.sin(x)).add(x.pow(0.8));
    const y_train = f(x_train).add(torch.normal(0.0, 0.5, [n_train]));
    const x_test = torch.arange(0, 5, 0.1);
    const y_truth = f(x_test);
    const n_test = x_test.length;
    expect(n_test).toBe(golden.n_test);
    expectClose(y_truth, golden.y_truth, 1e-6, 'y_truth');
    const X_repeat = x_test.repeatInterleave(n_train).reshape([-1, n_train]);
    const attention_weights = nn.functional.softmax(X_repeat.sub(x_train).pow(2).neg().div(2), { dim: 1 });
    expectClose(torch.matmul(attention_weights, y_train), golden.nw_y_hat, 1e-5, 'y_hat');
    expect(torch.bmm(torch.ones([2, 1, 4]), torch.ones([2, 4, 6])).shape).toEqual(golden.bmm_shape);
    const weights = torch.ones([2, 10]).mul(0.1);
    const values = torch.arange(20.0, { dtype: torch.float32 }).reshape([2, 10]); // JavaScript's 20.0 is the integer 20
    expect(String(torch.bmm(weights.unsqueeze(1), values.unsqueeze(-1)))).toBe(golden.bmm_weights);

    const X_tile = x_train.repeat([n_train, 1]);
    const Y_tile = y_train.repeat([n_train, 1]);
    const offDiagonal = torch.sub(1, torch.eye(n_train)).type(torch.bool);
    let keys = X_tile.index(offDiagonal).reshape([n_train, -1]);
    let vals = Y_tile.index(offDiagonal).reshape([n_train, -1]);
    const net = new NWKernelRegression();
    const loss = new nn.MSELoss({ reduction: 'none' });
    const trainer = new torch.optim.SGD(net.parameters(), { lr: 0.5 });
    const lines: string[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      trainer.zeroGrad();
      const l = loss(net(x_train, keys, vals), y_train);
      l.sum().backward();
      trainer.step();
      lines.push(`epoch ${epoch + 1}, loss ${Number(l.sum()).toFixed(6)}`);
    }
    // float32 sums of 50 terms: PyTorch's vectorised order differs in the last bits, so compare the printed numbers
    const printed = (ls: string[]): number[] => ls.map((line) => Number(line.split('loss ')[1]));
    expectClose(printed(lines), printed(golden.nw_lines), 1e-6, 'printed losses');
    expectClose([net.w.item()], [golden.nw_w], 1e-5, 'w');
    keys = x_train.repeat([n_test, 1]);
    vals = y_train.repeat([n_test, 1]);
    const y_hat = net(x_test, keys, vals).unsqueeze(1).detach();
    expectClose(y_hat, golden.nw_trained_y_hat, 1e-5, 'trained y_hat');
    expectClose(net.attention_weights!.index(10, ':8'), golden.nw_attention_row, 1e-5, 'attention');
  });
});
