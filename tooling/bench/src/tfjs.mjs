import { createRequire, register } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

const require = createRequire(import.meta.url);

/**
 * tfjs-core with two of its backends, the comparison points: the pure-JS CPU backend and the Wasm backend (XNNPACK
 * kernels, SIMD binary). Prod mode is what a deployed app runs: it also silences the "install tfjs-node" notice the
 * CPU backend prints in Node. The gradient functions are registered as `@tensorflow/tfjs` does (see
 * tfjs-resolve-hooks.mjs); tfjs keeps its registries and engine on globalThis, so the ES module copy they come from
 * shares them with the Node bundle.
 *
 * The Wasm backend loads its .wasm from node_modules (no network): `setWasmPaths` points at the package's dist/.
 * In Node it always runs single-threaded: its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false under Node (tfjs issue
 * 3830), so it picks `tfjs-backend-wasm-simd.wasm`. Returns `{ tf, wasm }`, where `wasm` is either
 * `{ threads, binary }` or `{ unavailable: reason }`.
 */
export async function loadTfjs() {
  register('./tfjs-resolve-hooks.mjs', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.enableProdMode();
  const wasm = await loadWasmBackend();
  await useTfjsBackend(tf, 'cpu');
  return { tf, wasm };
}

/** Switches tfjs to `name` ('cpu' or 'wasm'); each side of a workload creates and disposes its own tensors. */
export async function useTfjsBackend(tfjs, name) {
  if (tfjs.getBackend() === name) return;
  if (!(await tfjs.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialize`);
  await tfjs.ready();
}

async function loadWasmBackend() {
  try {
    const backend = await import('@tensorflow/tfjs-backend-wasm');
    const simd = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm');
    backend.setWasmPaths(path.dirname(simd) + path.sep);
    await useTfjsBackend(tf, 'wasm');
    const simdSupported = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return {
      version: backend.version_wasm,
      threads: backend.getThreadsCount(),
      binary: simdSupported ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
    };
  } catch (error) {
    return { unavailable: `tfjs-backend-wasm did not initialize: ${error?.message ?? error}` };
  }
}
