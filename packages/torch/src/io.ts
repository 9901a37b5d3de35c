import type { Tensor } from '@descent/tensor';

/**
 * `torch.save(stateDict, path)`: writes safetensors atomically (Node only: a browser bundle gets the stand-in that
 * `@descent/tensor/node` exports under the `browser` condition, which rejects and names `encodeSafetensors`).
 */
export async function save(state: Record<string, unknown>, path: string): Promise<void> {
  const { save: saveFile } = await import('@descent/tensor/node');
  await saveFile(state as Parameters<typeof saveFile>[0], path);
}

/** `torch.load(path)`: reads a safetensors file written by Descent or by PyTorch's `safetensors`. */
export async function load<T = Record<string, Tensor>>(path: string): Promise<T> {
  const { load: loadFile } = await import('@descent/tensor/node');
  return loadFile<T>(path);
}
