import { INPUTS_15, TARGETS_15 } from '../crop-yields.mjs';
import { inUnit, timeRepeated } from '../measure.mjs';

/**
 * W5: seed 003's training with the built-ins: nn.Linear(3, 2), TensorDataset over 15 rows, DataLoader(batch 5,
 * shuffle), SGD(lr 1e-5) and MSE loss; 1,000 epochs of 3 batches each (3,000 optimizer steps).
 */
const EPOCHS = 1_000;
const BATCH_SIZE = 5;
const LEARNING_RATE = 1e-5;
// V8 keeps re-optimizing this loop for ~8 runs (0.55 s, 0.15, 0.09, then 0.065 s): measure the steady state.
const SCHEDULE = { warmups: 8, repetitions: 5 };

export const w5LinearDataLoader = {
  id: 'W5',
  title: 'nn.Linear + DataLoader(5, shuffle), 1,000 epochs',
  unit: 's',
  target: 0.06,
  reference: { pytorch: 0.48, tfjsCpu: 0.23 },

  async descent(torch, init, training) {
    if (training.missing) return { unavailable: `n/a (package missing: ${training.missing.join(', ')})` };
    const { Linear, SGD, TensorDataset, DataLoader, mseLoss } = training;
    const inputs = torch.tensor(INPUTS_15, { dtype: 'float32' });
    const targets = torch.tensor(TARGETS_15, { dtype: 'float32' });
    const dataset = new TensorDataset(inputs, targets);
    const loader = makeLoader(DataLoader, dataset);
    const call = (model, x) => (typeof model === 'function' ? model(x) : model.forward(x));
    const run = async () => {
      const model = new Linear(3, 2);
      torch.noGrad(() => {
        model.weight.copy_(torch.tensor(init.weights));
        model.bias.copy_(torch.tensor(init.biases));
      });
      const optimizer = makeSgd(SGD, model.parameters());
      const step = (xb, yb) => {
        const loss = mseLoss(call(model, xb), yb);
        loss.backward();
        optimizer.step();
        optimizer.zeroGrad();
      };
      // A synchronous loader is iterated synchronously: `for await` would add a microtask per batch.
      if (typeof loader[Symbol.iterator] === 'function') {
        for (let epoch = 0; epoch < EPOCHS; epoch++) for (const [xb, yb] of loader) step(xb, yb);
      } else {
        for (let epoch = 0; epoch < EPOCHS; epoch++) for await (const [xb, yb] of loader) step(xb, yb);
      }
      return torch.noGrad(() => mseLoss(call(model, inputs), targets).item());
    };
    checkBatches(loader);
    const timing = await timeRepeated(run, SCHEDULE);
    return { ...inUnit(timing), finalLoss: timing.result };
  },

  /**
   * tfjs: tf.layers would add its own heavy machinery, so the fair equivalent is what tfjs users write by hand:
   * tf.variable weights, indices shuffled with tf.util.shuffle each epoch, batches cut with tf.gather, and the
   * gradient step from tf.grads, each batch inside tf.tidy.
   */
  async tfjs(tf, init) {
    const inputs = tf.tensor2d(INPUTS_15);
    const targets = tf.tensor2d(TARGETS_15);
    const mse = (preds, y) => tf.mean(tf.square(tf.sub(preds, y)));
    const model = (x, w, b) => tf.add(tf.matMul(x, w, false, true), b);
    const run = () => {
      const w = tf.variable(tf.tensor2d(init.weights));
      const b = tf.variable(tf.tensor1d(init.biases));
      const indices = Int32Array.from({ length: INPUTS_15.length }, (_, i) => i);
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        tf.util.shuffle(indices);
        for (let start = 0; start < indices.length; start += BATCH_SIZE) {
          tf.tidy(() => {
            const batch = tf.tensor1d(indices.subarray(start, start + BATCH_SIZE), 'int32');
            const xb = tf.gather(inputs, batch);
            const yb = tf.gather(targets, batch);
            const [dw, db] = tf.grads((wv, bv) => mse(model(xb, wv, bv), yb))([w, b]);
            w.assign(tf.sub(w, tf.mul(dw, LEARNING_RATE)));
            b.assign(tf.sub(b, tf.mul(db, LEARNING_RATE)));
          });
        }
      }
      const finalLoss = tf.tidy(() => mse(model(inputs, w, b), targets).dataSync()[0]);
      w.dispose();
      b.dispose();
      return finalLoss;
    };
    const timing = await timeRepeated(run, SCHEDULE);
    inputs.dispose();
    targets.dispose();
    return { ...inUnit(timing), finalLoss: timing.result };
  },

  /**
   * jax-js has no DataLoader either, so the same by hand: indices shuffled on the host each epoch (Fisher-Yates, as
   * tf.util.shuffle), and one `jit` step per batch that gathers its rows (`np.take`) and applies `grad` of the MSE
   * loss; each step waits for its parameters (`blockUntilReady`), as jax-js recommends and as W4 measured fastest.
   */
  async jax({ numpy: np, jit, grad, tree, blockUntilReady }, init) {
    const inputs = np.array(INPUTS_15);
    const targets = np.array(TARGETS_15);
    const mse = (p, x, y) => {
      const diff = np.matmul(x, p.w.transpose()).add(p.b).sub(y);
      return diff.ref.mul(diff).mean();
    };
    const step = jit((p, x, y, batch) => {
      const grads = grad(mse)(tree.ref(p), np.take(x, batch.ref, 0), np.take(y, batch, 0));
      return tree.map((param, g) => param.sub(g.mul(LEARNING_RATE)), p, grads);
    });
    const run = async () => {
      let p = { w: np.array(init.weights), b: np.array(init.biases) };
      const indices = Int32Array.from({ length: INPUTS_15.length }, (_, i) => i);
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        shuffle(indices);
        for (let start = 0; start < indices.length; start += BATCH_SIZE) {
          const batch = np.array(indices.slice(start, start + BATCH_SIZE), { dtype: np.int32 });
          p = step(p, inputs.ref, targets.ref, batch);
          await blockUntilReady(p);
        }
      }
      return mse(p, inputs.ref, targets.ref).dataSync()[0];
    };
    const timing = await timeRepeated(run, SCHEDULE);
    step.dispose();
    inputs.dispose();
    targets.dispose();
    return { ...inUnit(timing), finalLoss: timing.result, note: 'jit of gather + grad + update per batch, blockUntilReady each' };
  },
};

/** Fisher-Yates in place, as tf.util.shuffle. */
function shuffle(array) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
}

/** PyTorch's `DataLoader(ds, batch_size, shuffle=True)`, in whichever of the two TypeScript spellings exists. */
function makeLoader(DataLoader, dataset) {
  try {
    return new DataLoader(dataset, { batchSize: BATCH_SIZE, shuffle: true });
  } catch {
    return new DataLoader(dataset, BATCH_SIZE, { shuffle: true });
  }
}

function makeSgd(SGD, parameters) {
  const list = [...parameters];
  try {
    return new SGD(list, { lr: LEARNING_RATE });
  } catch {
    return new SGD(list, LEARNING_RATE);
  }
}

/** The loader must give 3 batches of 5 rows per epoch, or W5 would time different work than it claims. */
function checkBatches(loader) {
  if (typeof loader[Symbol.iterator] !== 'function') return;
  const shapes = [...loader].map(([xb]) => xb.shape.join('x'));
  if (shapes.join() !== '5x3,5x3,5x3') throw new Error(`W5 expected three 5x3 batches per epoch, got ${shapes.join(', ')}`);
}
