/**
 * `torch.cuda` as PyTorch has it on a machine without CUDA. Descent's GPU is `torch.webgpu`, so the opening line of
 * most PyTorch programs, `device = 'cuda' if torch.cuda.is_available() else 'cpu'`, translates as is and picks the
 * CPU; seeding CUDA is ignored, as PyTorch ignores it there. The rest raises PyTorch's message and names the GPU
 * device Descent has.
 */

const NOT_COMPILED = "Torch not compiled with CUDA enabled. Descent's GPU device is 'webgpu': await torch.webgpu.init(), then use 'webgpu' where PyTorch uses 'cuda'";

function notCompiled(): never {
  throw new Error(NOT_COMPILED);
}

/** False: Descent has no CUDA device (`torch.webgpu.isAvailable()` says whether it has a GPU). */
export function isAvailable(): boolean {
  return false;
}

export function deviceCount(): number {
  return 0;
}

export function isInitialized(): boolean {
  return false;
}

/** Ignored without CUDA, as in PyTorch ("it is safe to call this function if CUDA is not available"). */
export function manualSeed(_seed: number): void {}

/** Ignored without CUDA, as in PyTorch. */
export function manualSeedAll(_seed: number): void {}

export const synchronize = notCompiled;
export const currentDevice = notCompiled;
export const getDeviceName = notCompiled;
export const setDevice = notCompiled;
export const memoryAllocated = notCompiled;
export const memoryReserved = notCompiled;
export const emptyCache = notCompiled;
