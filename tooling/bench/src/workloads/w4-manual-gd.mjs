import { INPUTS_5, TARGETS_5 } from '../crop-yields.mjs';
import { inUnit, timeRepeated } from '../measure.mjs';

/**
 * W4: seed 000's "crop yields" linear regression by hand, 10,000 epochs: preds = x @ w.t() + b,
 * loss = sum(diff * diff) / numel, backward, then an in-place SGD step and zeroed gradients under no-grad.
 * Both frameworks start from the same weights, so their final losses must agree: that is checked and reported.
 */
const EPOCHS = 10_000;
const LEARNING_RATE = 1e-5;
const SCHEDULE = { warmups: 2, repetitions: 5 };

export const w4ManualGd = {
  id: 'W4',
  title: 'crop yields manual GD, 10,000 epochs',
  unit: 's',
  target: 0.08,
  reference: { pytorch: 0.68, tfjsCpu: 0.6 },

  async descent(torch, init) {
    const x = torch.tensor(INPUTS_5, { dtype: 'float32' });
    const y = torch.tensor(TARGETS_5, { dtype: 'float32' });
    const mse = (preds, targets) => {
      const diff = preds.sub(targets);
      return diff.mul(diff).sum().div(diff.numel());
    };
    const run = () => {
      const w = torch.tensor(init.weights).requiresGrad_();
      const b = torch.tensor(init.biases).requiresGrad_();
      const model = (inputs) => inputs.matmul(w.t()).add(b);
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        const loss = mse(model(x), y);
        loss.backward();
        torch.noGrad(() => {
          w.sub_(w.grad.mul(LEARNING_RATE));
          b.sub_(b.grad.mul(LEARNING_RATE));
          w.grad.zero_();
          b.grad.zero_();
        });
      }
      return torch.noGrad(() => mse(model(x), y).item());
    };
    const timing = await timeRepeated(run, SCHEDULE);
    return { ...inUnit(timing), finalLoss: timing.result };
  },

  /** tfjs: tf.variable weights, tf.grads for the gradient, a manual update with assign(), each epoch in tf.tidy. */
  async tfjs(tf, init) {
    const x = tf.tensor2d(INPUTS_5);
    const y = tf.tensor2d(TARGETS_5);
    const mse = (preds, targets) => {
      const diff = tf.sub(preds, targets);
      return tf.div(tf.sum(tf.mul(diff, diff)), diff.size);
    };
    // transposeB is tfjs's way to write x @ w.t() without materializing the transpose.
    const model = (inputs, w, b) => tf.add(tf.matMul(inputs, w, false, true), b);
    const gradients = tf.grads((w, b) => mse(model(x, w, b), y));
    const run = () => {
      const w = tf.variable(tf.tensor2d(init.weights));
      const b = tf.variable(tf.tensor1d(init.biases));
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        tf.tidy(() => {
          const [dw, db] = gradients([w, b]);
          w.assign(tf.sub(w, tf.mul(dw, LEARNING_RATE)));
          b.assign(tf.sub(b, tf.mul(db, LEARNING_RATE)));
        });
      }
      const finalLoss = tf.tidy(() => mse(model(x, w, b), y).dataSync()[0]);
      w.dispose();
      b.dispose();
      return finalLoss;
    };
    const timing = await timeRepeated(run, SCHEDULE);
    x.dispose();
    y.dispose();
    return { ...inUnit(timing), finalLoss: timing.result };
  },

  /**
   * jax-js: the same model as a pure function of a `{ w, b }` pytree; one epoch is `jit` of `grad` of the loss plus
   * the update (x @ w.T + b, as the others). Move semantics: the step consumes the old parameters (`tree.ref` keeps
   * one for the update); x and y are passed with `.ref`. jax-js is lazy and recommends waiting regularly: each epoch
   * waits for its parameters (`blockUntilReady`), which measured 0.52 s here against 0.6 s waiting every 10 epochs
   * and minutes for a 10,000-step chain left pending to the end.
   */
  async jax({ numpy: np, jit, grad, tree, blockUntilReady }, init) {
    const x = np.array(INPUTS_5);
    const y = np.array(TARGETS_5);
    const count = INPUTS_5.length * TARGETS_5[0].length;
    const mse = (p, inputs, targets) => {
      const diff = np.matmul(inputs, p.w.transpose()).add(p.b).sub(targets);
      return diff.ref.mul(diff).sum().div(count);
    };
    const step = jit((p, inputs, targets) => {
      const grads = grad(mse)(tree.ref(p), inputs, targets);
      return tree.map((param, g) => param.sub(g.mul(LEARNING_RATE)), p, grads);
    });
    const run = async () => {
      let p = { w: np.array(init.weights), b: np.array(init.biases) };
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        p = step(p, x.ref, y.ref);
        await blockUntilReady(p);
      }
      const finalLoss = mse(p, x.ref, y.ref).dataSync()[0];
      return finalLoss;
    };
    const timing = await timeRepeated(run, SCHEDULE);
    step.dispose();
    x.dispose();
    y.dispose();
    return { ...inUnit(timing), finalLoss: timing.result, note: 'jit of grad + update per epoch, blockUntilReady each' };
  },
};
