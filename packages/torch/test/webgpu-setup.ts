import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as torch from '@descent/torch';

/**
 * Initializes the WebGPU device once for a test file. Locally, a machine without an adapter skips the WebGPU tests
 * with a visible warning; with CI=true a missing adapter is a failure (CI installs lavapipe).
 */
export async function initWebGPU(): Promise<boolean> {
  try {
    await torch.webgpu.init();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`WebGPU tests skipped: ${(error as Error).message}`);
    return false;
  }
}

/** Node's full garbage collection, as a function (tests only: the product never forces one on a user). */
const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Frees every GPU tensor that nothing references any more, deterministically: a full collection, then turns of the
 * event loop until the finalizers have run (their count of freed bytes stops changing), then a sync so freed blocks
 * return to the pool.
 */
export async function collectUnreachable(): Promise<void> {
  const readings: number[] = [];
  // Finalizers run in tasks after the collection, possibly over several turns: stop once three readings agree.
  while (readings.length < 3 || new Set(readings.slice(-3)).size > 1) {
    if (readings.length >= 20) break;
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
    readings.push(torch.webgpu.memoryAllocated());
  }
  await torch.webgpu.synchronize();
}
