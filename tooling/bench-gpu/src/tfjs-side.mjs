/**
 * tfjs-core 4.22 with `@tensorflow/tfjs-backend-webgpu` 4.22 on Dawn, the comparison point. The backend registers
 * itself on import only when `navigator.gpu` exists, so `navigator` is installed first (Node 20 has none) and the
 * backend is imported afterwards. It gets its own device from the same Dawn adapter Descent uses.
 *
 * Defaults are tfjs's own (prod mode, 15 dispatches per submit), except in the op chain: tfjs computes tensors
 * under 1,000 elements whose data is on the CPU with its CPU kernels (WEBGPU_CPU_FORWARD), which would time its
 * CPU backend; the chain turns that off so both sides dispatch GPU kernels.
 */
import * as tf from '@tensorflow/tfjs-core';

export async function initTfjs(dawnFlags) {
  // Imported here, not at the top: the bundle leaves `webgpu` external and unpacks dawn.node before loading it.
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(dawnFlags) }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  // tfjs-core's bundle leaves gradients to the `@tensorflow/tfjs` umbrella; the MLP needs them.
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.enableProdMode();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed: no WebGPU adapter for tfjs');
  await tf.ready();
  const info = tf.backend().adapterInfo;
  return {
    name: 'tfjs-webgpu',
    info: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter',
    matmul,
    elementwise,
    chain,
    mlp,
  };
}

/** Submits what tfjs has encoded and waits for the queue: tfjs's equivalent of torch.webgpu.synchronize(). */
async function synchronize() {
  const backend = tf.backend();
  if (backend.commandEncoder) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
  await backend.queue.onSubmittedWorkDone();
}

function matmul(n) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  return {
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) tf.matMul(a, b).dispose();
      await synchronize();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function elementwise(n) {
  const a = tf.randomNormal([n]);
  const b = tf.randomNormal([n]);
  return {
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) tf.tidy(() => tf.add(tf.mul(a, b), a)).dispose();
      await synchronize();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function chain(ops) {
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  const x0 = tf.randomNormal([2, 3]);
  const b = tf.randomNormal([2, 3]);
  const enqueueSeconds = [];
  return {
    enqueueSeconds,
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) {
        const t0 = performance.now();
        tf.tidy(() => {
          let x = x0;
          for (let k = 0; k < ops; k++) x = tf.add(x, b);
          return x;
        }).dispose();
        enqueueSeconds.push((performance.now() - t0) / 1000);
      }
      await synchronize();
    },
    dispose: () => {
      tf.dispose([x0, b]);
      tf.env().set('WEBGPU_CPU_FORWARD', true);
    },
  };
}

/** The same MLP from Descent's initial weights and data: `x @ w^T + b`, ReLU, softmax cross-entropy, SGD. */
function mlp(initial) {
  const layers = initial.layers.map((l) => ({
    weight: tf.variable(tf.tensor(l.weight, l.shape)),
    bias: tf.variable(tf.tensor(l.bias, [l.shape[0]])),
  }));
  const x = tf.tensor(initial.x, initial.xShape);
  const classes = initial.layers.at(-1).shape[0];
  // Descent's class targets are int64 (a BigInt64Array), as PyTorch's; tfjs takes them as int32.
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(initial.y, Number), 'int32'), classes), 'float32'));
  const optimizer = tf.train.sgd(0.01);
  const lossOf = () => {
    let h = x;
    layers.forEach((l, i) => {
      if (i > 0) h = tf.relu(h);
      h = tf.add(tf.matMul(h, l.weight, false, true), l.bias);
    });
    return tf.losses.softmaxCrossEntropy(labels, h);
  };
  return {
    async losses(steps) {
      const out = [];
      for (let i = 0; i < steps; i++) {
        const loss = optimizer.minimize(lossOf, true);
        out.push((await loss.data())[0]);
        loss.dispose();
      }
      return out;
    },
    async runBatch(iters) {
      for (let i = 0; i < iters; i++) optimizer.minimize(lossOf, false);
      await synchronize();
    },
    dispose: () => {
      tf.dispose([x, labels, ...layers.flatMap((l) => [l.weight, l.bias])]);
      optimizer.dispose();
    },
  };
}
