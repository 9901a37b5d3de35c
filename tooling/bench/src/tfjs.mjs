import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * tfjs-core with its pure-JS CPU backend, the comparison point. Prod mode is what a deployed app runs: it also
 * silences the "install tfjs-node" notice the CPU backend prints in Node.
 */
export async function loadTfjsCpu() {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}
