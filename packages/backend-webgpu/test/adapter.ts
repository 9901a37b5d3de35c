import { createNodeWebGPUBackend, type WebGPUBackend } from '../src/node.js';

/**
 * The backend under test. Without an adapter the WebGPU tests are skipped locally with a message, but with
 * `CI=true` a missing adapter fails the run: CI installs lavapipe, so WebGPU must be tested there.
 */
export async function testBackend(): Promise<WebGPUBackend | null> {
  try {
    return await createNodeWebGPUBackend();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`WebGPU tests skipped: ${(error as Error).message}`);
    return null;
  }
}
