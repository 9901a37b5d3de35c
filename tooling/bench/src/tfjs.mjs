import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * tfjs-core with its pure-JS CPU backend, the comparison point. Prod mode is what a deployed app runs: it also
 * silences the "install tfjs-node" notice the CPU backend prints in Node. The gradient functions are registered
 * as `@tensorflow/tfjs` does (see tfjs-resolve-hooks.mjs); tfjs keeps its registries and engine on globalThis, so
 * the ES module copy they come from shares them with the Node bundle.
 */
export async function loadTfjsCpu() {
  register('./tfjs-resolve-hooks.mjs', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}
