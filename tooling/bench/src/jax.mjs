import * as jax from '@jax-js/jax';

/**
 * jax-js on its Wasm device, the default one. In Node it runs on one thread: its worker pool needs a global
 * `Worker`, which Node 20 does not have (it has `worker_threads` instead), so kernels run on the calling thread.
 * jax-js arrays are lazy and reference counted: every function *consumes* its array arguments (`x.ref` keeps one
 * alive), and nothing is computed until a read or `blockUntilReady()`. Returns `{ jax, device }` or
 * `{ unavailable: reason }`.
 */
export async function loadJax() {
  try {
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) return { unavailable: `jax-js found no wasm device (got ${devices.join(', ')})` };
    jax.defaultDevice('wasm');
    return { jax, device: 'wasm', threads: typeof Worker === 'undefined' ? 1 : 'a worker pool' };
  } catch (error) {
    return { unavailable: `jax-js did not initialize: ${error?.message ?? error}` };
  }
}
