import type { DType } from '@descent/backend';
import { defaultFloatDType, isFloating, setDefaultFloatDType } from '../dtype.js';
import { noGrad } from '../grad-mode.js';
import type { Tensor } from '../tensor.js';

/**
 * `torch.set_default_dtype(d)`: the dtype of float data created without one (`tensor([1.5])`, `zeros`, `rand`,
 * `arange(0.5)`, layer parameters) and of integers promoted to floats. Only float32 and float64, as in PyTorch.
 */
export function setDefaultDtype(dtype: DType): void {
  if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError('only floating-point types are supported as the default type');
  setDefaultFloatDType(dtype);
}

/** `torch.get_default_dtype()`. */
export function getDefaultDtype(): DType {
  return defaultFloatDType();
}

/** `torch.is_floating_point(x)`. */
export function isFloatingPoint(x: Tensor): boolean {
  return isFloating(x.dtype);
}

/**
 * `with torch.inference_mode():` as `torch.inferenceMode(() => ...)`: runs `fn` without recording gradients, as
 * `noGrad` does (Descent has no separate inference tensors); `inferenceMode(false, fn)` leaves grad mode as it is.
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(modeOrFn: boolean | (() => T), fn?: () => T): T {
  if (typeof modeOrFn === 'function') return noGrad(modeOrFn);
  if (fn === undefined) throw new TypeError('inferenceMode(mode, fn): pass the function to run');
  return modeOrFn ? noGrad(fn) : fn();
}
