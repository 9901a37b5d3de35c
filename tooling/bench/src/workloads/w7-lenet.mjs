import { timeRepeated } from '../measure.mjs';
import { descentEpoch, generator, inStepsPerSecond } from './training-helpers.mjs';

/**
 * W7: LeNet-5 (Conv2d(1, 6, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(6, 16, 5), ReLU, MaxPool2d(2), 400-120-84-10
 * with ReLU) on uniform [0, 1) 1x28x28 inputs with 10 random classes, batch 64, SGD lr 0.01, cross-entropy, in
 * training steps per second over the median of 3 timed 32-step epochs after 1 warm-up epoch (higher is better).
 * PyTorch (2 threads) does 178 steps/s on this machine (perf-anchors.md); the target is half of that.
 */
const BATCH = 64;
const STEPS = 32;
const CLASSES = 10;
const LEARNING_RATE = 0.01;
const SCHEDULE = { warmups: 1, repetitions: 3 };

let shared;

function sharedData() {
  if (shared) return shared;
  const next = generator(7);
  shared = {
    x: Float32Array.from({ length: STEPS * BATCH * 28 * 28 }, next),
    labels: Int32Array.from({ length: STEPS * BATCH }, () => Math.floor(next() * CLASSES)),
  };
  return shared;
}

export const w7LeNet = {
  id: 'W7',
  title: 'LeNet-5 1x28x28, batch 64, SGD, steps/s',
  unit: 'steps',
  higherIsBetter: true,
  target: 89,
  lossNote: 'each side from its own initial weights: a sanity check, not a comparison',
  notPorted: { jax: 'jax-js 0.1.25 has no convolution training path used here' },

  /** Descent as the PyTorch program reads: nn.Sequential of Conv2d/MaxPool2d/Linear, F.cross_entropy, optim.SGD. */
  async descent(torch) {
    const { nn, optim } = torch;
    if (!nn?.Conv2d) return { unavailable: 'n/a (torch.nn.Conv2d missing)' };
    const data = sharedData();
    torch.manualSeed(0);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, CLASSES),
    );
    const optimizer = new optim.SGD(model.parameters(), { lr: LEARNING_RATE });
    const x = torch.tensor(data.x).reshape(STEPS * BATCH, 1, 28, 28);
    const y = torch.tensor(Array.from(data.labels), { dtype: 'int64' });
    const batches = Array.from({ length: STEPS }, (_, i) => [x.narrow(0, i * BATCH, BATCH), y.narrow(0, i * BATCH, BATCH)]);
    const epoch = () => descentEpoch(torch, model, optimizer, batches);
    return inStepsPerSecond(await timeRepeated(epoch, SCHEDULE), STEPS);
  },

  /**
   * tfjs (cpu and wasm backends): the same layers in tfjs's NHWC layout (tf.conv2d 'same'/'valid', tf.maxPool),
   * `tf.train.sgd(0.01).minimize` of `tf.losses.softmaxCrossEntropy` on one-hot labels. Weights start from tfjs's
   * own glorot init (the timing, not the loss, is compared here).
   */
  async tfjs(tf) {
    const data = sharedData();
    const v = (shape) => tf.variable(tf.randomUniform(shape, -0.1, 0.1, 'float32', 1));
    const params = {
      c1: v([5, 5, 1, 6]), b1: tf.variable(tf.zeros([6])),
      c2: v([5, 5, 6, 16]), b2: tf.variable(tf.zeros([16])),
      f1: v([400, 120]), g1: tf.variable(tf.zeros([120])),
      f2: v([120, 84]), g2: tf.variable(tf.zeros([84])),
      f3: v([84, CLASSES]), g3: tf.variable(tf.zeros([CLASSES])),
    };
    const variables = Object.values(params);
    const optimizer = tf.train.sgd(LEARNING_RATE);
    const batches = Array.from({ length: STEPS }, (_, i) => {
      const labels = data.labels.subarray(i * BATCH, (i + 1) * BATCH);
      const oneHot = new Float32Array(BATCH * CLASSES);
      labels.forEach((label, j) => (oneHot[j * CLASSES + label] = 1));
      return [
        tf.tensor4d(data.x.subarray(i * BATCH * 784, (i + 1) * BATCH * 784), [BATCH, 28, 28, 1]),
        tf.tensor2d(oneHot, [BATCH, CLASSES]),
      ];
    });
    const p = params;
    const model = (xb) => {
      let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(xb, p.c1, 1, 'same'), p.b1)), 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, p.c2, 1, 'valid'), p.b2)), 2, 2, 'valid');
      h = tf.reshape(h, [BATCH, 400]);
      h = tf.relu(tf.add(tf.matMul(h, p.f1), p.g1));
      h = tf.relu(tf.add(tf.matMul(h, p.f2), p.g2));
      return tf.add(tf.matMul(h, p.f3), p.g3);
    };
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
};
