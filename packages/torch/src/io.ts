import { device as toDevice, isTensor, type DeviceLike, type Tensor } from '@descent/tensor';
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
 * load as float32. `{ mapLocation }` moves every tensor to a device, as `map_location=`.
 */
export async function load<T = Record<string, Tensor>>(path: string, options: LoadOptions = {}): Promise<T> {
  for (const key of Object.keys(options)) {
    if (!LOAD_KEYS.includes(key)) throw new TypeError(`'${key}' is an invalid keyword argument for Unpickler()`);
  }
  const { mapLocation } = options;
  if (typeof mapLocation === 'string' && mapLocation.split(':')[0] === 'cuda') throw new Error(NO_CUDA);
  const target = mapLocation === undefined ? undefined : toDevice(mapLocation);
  const { load: loadFile } = await import('@descent/tensor/node');
  const loaded = await loadFile<T>(path);
  return target === undefined ? loaded : (moveTensors(loaded, target) as T);
}

/** `torch.load`'s keywords (PyTorch passes any other to its Unpickler, which refuses it). */
export interface LoadOptions {
  /** `map_location`: the device every tensor loads onto, as `'cpu'`, `torch.device('cpu')` or `'webgpu'`. */
  mapLocation?: DeviceLike;
  /** `weights_only`: Descent always loads weights only, so either value reads the same. */
  weightsOnly?: boolean;
}

const LOAD_KEYS = ['mapLocation', 'weightsOnly'];
const NO_CUDA =
  'Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are running on a ' +
  "CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your storages to the CPU.";

/** Moves each tensor of the freshly loaded nest of objects and arrays to `target`, in place (keeping its layout). */
function moveTensors(value: unknown, target: DeviceLike): unknown {
  if (isTensor(value)) return value.to(target);
  if (value !== null && typeof value === 'object') {
    const nest = value as Record<string, unknown>;
    for (const key of Object.keys(nest)) nest[key] = moveTensors(nest[key], target);
  }
  return value;
}
