import { timeRepeated } from '../measure.mjs';
import { descentEpoch, generator, inStepsPerSecond } from './training-helpers.mjs';

/**
 * W6: an MLP 784-256-ReLU-10 trained with cross-entropy and plain SGD (lr 0.1) on X 8192x784 uniform [0, 1) with
 * 10 random classes, batch 128, 64 steps per epoch, in training steps per second over the median epoch (higher is
 * better). Every framework starts from the same data and the same initial weights (PyTorch's default nn.Linear
 * init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn here from a seeded generator) and takes the same batches in the
 * same order, so their losses after the same number of steps must agree: each reports its loss after the last
 * timed epoch. The 64 batches are cut once before timing, on every side alike.
 */
const IN = 784;
const HIDDEN = 256;
const CLASSES = 10;
const ROWS = 8192;
const BATCH = 128;
const STEPS = ROWS / BATCH;
const LEARNING_RATE = 0.1;
// One epoch of warm-up (V8 and jax-js compile there), then the median of three timed epochs.
const SCHEDULE = { warmups: 1, repetitions: 3 };

let shared;

/** The data and initial weights, as host arrays; weights in PyTorch's nn.Linear layout [out, in]. */
function sharedData() {
  if (shared) return shared;
  const next = generator(6);
  const uniform = (length, bound) => Float32Array.from({ length }, () => (next() * 2 - 1) * bound);
  const x = Float32Array.from({ length: ROWS * IN }, next);
  const labels = Int32Array.from({ length: ROWS }, () => Math.floor(next() * CLASSES));
  const b1 = 1 / Math.sqrt(IN);
  const b2 = 1 / Math.sqrt(HIDDEN);
  shared = {
    x,
    labels,
    w1: uniform(HIDDEN * IN, b1),
    b1: uniform(HIDDEN, b1),
    w2: uniform(CLASSES * HIDDEN, b2),
    b2: uniform(CLASSES, b2),
  };
  return shared;
}

/** [rows, cols] row-major to [cols, rows]: nn.Linear's [out, in] weight as the [in, out] kernel x @ W takes. */
function transposed(data, rows, cols) {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

function oneHot(labels) {
  const out = new Float32Array(labels.length * CLASSES);
  labels.forEach((label, i) => (out[i * CLASSES + label] = 1));
  return out;
}

export const w6Mlp = {
  id: 'W6',
  title: 'MLP 784-256-10, batch 128, SGD, steps/s',
  unit: 'steps',
  higherIsBetter: true,
  target: 500,

  /** Descent as a PyTorch user writes it: nn.Sequential, F.cross_entropy, optim.SGD, zero_grad/backward/step. */
  async descent(torch) {
    const { nn, optim } = torch;
    if (!nn?.Sequential || !optim?.SGD) return { unavailable: 'n/a (torch.nn or torch.optim missing)' };
    const data = sharedData();
    const fc1 = new nn.Linear(IN, HIDDEN);
    const fc2 = new nn.Linear(HIDDEN, CLASSES);
    torch.noGrad(() => {
      fc1.weight.copy_(torch.tensor(data.w1).reshape(HIDDEN, IN));
      fc1.bias.copy_(torch.tensor(data.b1));
      fc2.weight.copy_(torch.tensor(data.w2).reshape(CLASSES, HIDDEN));
      fc2.bias.copy_(torch.tensor(data.b2));
    });
    const model = new nn.Sequential(fc1, new nn.ReLU(), fc2);
    const optimizer = new optim.SGD(model.parameters(), { lr: LEARNING_RATE });
    const x = torch.tensor(data.x).reshape(ROWS, IN);
    const y = torch.tensor(Array.from(data.labels), { dtype: 'int64' });
    const batches = Array.from({ length: STEPS }, (_, i) => [x.narrow(0, i * BATCH, BATCH), y.narrow(0, i * BATCH, BATCH)]);
    const epoch = () => descentEpoch(torch, model, optimizer, batches);
    return inStepsPerSecond(await timeRepeated(epoch, SCHEDULE), STEPS);
  },

  /**
   * tfjs (run on its cpu and wasm backends): tf.variable weights in the [in, out] layout of tf.layers.dense,
   * `tf.train.sgd(0.1).minimize` of `tf.losses.softmaxCrossEntropy` (mean over the batch, as PyTorch's) on one-hot
   * labels; minimize computes the gradients in a tidy scope and disposes them. The cost is kept on the last step.
   */
  async tfjs(tf) {
    const data = sharedData();
    const w1 = tf.variable(tf.tensor2d(transposed(data.w1, HIDDEN, IN), [IN, HIDDEN]));
    const b1 = tf.variable(tf.tensor1d(data.b1));
    const w2 = tf.variable(tf.tensor2d(transposed(data.w2, CLASSES, HIDDEN), [HIDDEN, CLASSES]));
    const b2 = tf.variable(tf.tensor1d(data.b2));
    const variables = [w1, b1, w2, b2];
    const optimizer = tf.train.sgd(LEARNING_RATE);
    const batches = Array.from({ length: STEPS }, (_, i) => [
      tf.tensor2d(data.x.subarray(i * BATCH * IN, (i + 1) * BATCH * IN), [BATCH, IN]),
      tf.tensor2d(oneHot(data.labels.subarray(i * BATCH, (i + 1) * BATCH)), [BATCH, CLASSES]),
    ]);
    const model = (xb) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xb, w1), b1)), w2), b2);
    const epoch = () => {
      let cost;
      batches.forEach(([xb, yb], i) => {
        cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model(xb)), i === STEPS - 1, variables);
      });
      const loss = cost.dataSync()[0];
      cost.dispose();
      return loss;
    };
    const timing = await timeRepeated(epoch, SCHEDULE);
    optimizer.dispose();
    for (const tensor of [...variables, ...batches.flat()]) tensor.dispose();
    return inStepsPerSecond(timing, STEPS);
  },

  /**
   * jax-js: the parameters are a pytree, the step is `jit` of `valueAndGrad` of the loss plus the SGD update (one
   * compiled program per step). Move semantics: the step consumes the old parameters (`tree.ref` keeps one reference
   * for the update) and the batch is passed with `.ref` so it survives for the next epoch. jax-js is lazy, so each
   * epoch ends by waiting for the new parameters and reading the loss.
   */
  async jax({ numpy: np, nn, jit, valueAndGrad, tree, blockUntilReady }) {
    const data = sharedData();
    let params = {
      w1: np.array(transposed(data.w1, HIDDEN, IN)).reshape([IN, HIDDEN]),
      b1: np.array(data.b1),
      w2: np.array(transposed(data.w2, CLASSES, HIDDEN)).reshape([HIDDEN, CLASSES]),
      b2: np.array(data.b2),
    };
    const batches = Array.from({ length: STEPS }, (_, i) => [
      np.array(data.x.subarray(i * BATCH * IN, (i + 1) * BATCH * IN)).reshape([BATCH, IN]),
      np.array(oneHot(data.labels.subarray(i * BATCH, (i + 1) * BATCH))).reshape([BATCH, CLASSES]),
    ]);
    const lossOf = (p, xb, yb) => {
      const hidden = nn.relu(np.matmul(xb, p.w1).add(p.b1));
      const logits = np.matmul(hidden, p.w2).add(p.b2);
      return nn.logSoftmax(logits, -1).mul(yb).sum(-1).mean().neg();
    };
    const step = jit((p, xb, yb) => {
      const [loss, grads] = valueAndGrad(lossOf)(tree.ref(p), xb, yb);
      return [tree.map((w, g) => w.sub(g.mul(LEARNING_RATE)), p, grads), loss];
    });
    const epoch = async () => {
      let loss;
      for (const [xb, yb] of batches) {
        loss?.dispose();
        [params, loss] = step(params, xb.ref, yb.ref);
      }
      await blockUntilReady(params);
      return loss.dataSync()[0];
    };
    const timing = await timeRepeated(epoch, SCHEDULE);
    step.dispose();
    tree.dispose(params);
    tree.dispose(batches);
    return { ...inStepsPerSecond(timing, STEPS), note: 'jit of valueAndGrad + SGD update per step' };
  },
};
