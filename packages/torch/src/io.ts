import type { Tensor } from '@descent/tensor';
import type { SaveOptions } from '@descent/tensor/node';
import { withPyTorchOptimizerLayout } from './pytorch-layout.js';

/**
 * `torch.save(obj, path)`: writes what Python's `torch.save` writes (a zip archive, pickle protocol 2), so
 * `torch.load(path, weights_only=True)` reads it in PyTorch: a `model.stateDict()` (as an `OrderedDict`), an
 * optimizer's `stateDict()` (in PyTorch's layout, `param_groups` and `momentum_buffer`, so Python's
 * `optimizer.load_state_dict` takes it), or nested objects and arrays of tensors, numbers, strings, booleans and
 * null. A path ending in `.safetensors` (or `{ format: 'safetensors' }`) writes safetensors instead.
 *
 * The write is atomic (a temporary file, fsynced, renamed over `path`), so a crash never leaves half a checkpoint.
 * Node only: in a browser bundle `@descent/tensor/node` resolves to a stand-in that says what to use instead.
 */
export async function save(obj: object, path: string, options?: SaveOptions): Promise<void> {
  const { save: saveFile } = await import('@descent/tensor/node');
  const format = options?.format ?? (path.endsWith('.safetensors') ? 'safetensors' : 'torch');
  await saveFile(format === 'torch' ? (withPyTorchOptimizerLayout(obj) as object) : obj, path, options);
}

/**
 * `torch.load(path)`: reads checkpoints written by PyTorch's `torch.save` (`.pt`, `.pth`, `.bin`; the zip format and
 * the legacy one), by Descent, or in safetensors, recognising the format by content. PyTorch files load under
 * `weights_only=True` rules: only tensors, containers, numbers and strings; anything else is refused before it
 * runs. State dicts come back as plain objects, so `model.loadStateDict(await torch.load('model.pt'))` works.
 * Tensors keep their dtype (float64, int64 exactly, int32, int16, int8, uint8, bool, float32); float16/bfloat16 ones
 * load as float32.
 */
export async function load<T = Record<string, Tensor>>(path: string): Promise<T> {
  const { load: loadFile } = await import('@descent/tensor/node');
  return loadFile<T>(path);
}
