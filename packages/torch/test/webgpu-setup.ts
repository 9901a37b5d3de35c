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
