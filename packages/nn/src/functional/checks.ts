import type { Tensor } from '@descent/tensor';
import { pySize } from '../python-repr.js';

// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };

/**
 * The tensor's values when its device can be read synchronously (the CPU), else null: value checks with
 * PyTorch's messages run where they are cheap and are left to the kernels elsewhere.
 */
export function valuesIfReadable(t: Tensor): ReturnType<Tensor['dataSync']> | null {
  return t.device.supports('readSync') ? t.dataSync() : null;
}

export function sameShape(a: Tensor, b: Tensor): boolean {
  return a.ndim === b.ndim && a.shape.every((s, i) => s === b.shape[i]);
}

/** PyTorch warns (and broadcasts) when a regression loss gets a target of another size. */
export function warnOnBroadcast(input: Tensor, target: Tensor): void {
  if (sameShape(input, target)) return;
  console.warn(
    `Using a target size (${pySize(target.shape)}) that is different to the input size (${pySize(input.shape)}). ` +
      'This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
  );
}

export function requireIndices(name: string, t: Tensor): void {
  if (t.dtype !== 'int64') {
    throw new TypeError(
      `${name}: expected scalar type Long but found ${t.dtype}: class indices are int64. Convert with target.long().`,
    );
  }
}
