import type { Tensor } from '@descent/tensor';

/** An int for every spatial dim, or one per dim (PyTorch's `int | tuple`). */
export type IntOrTuple = number | readonly number[];

/** `[6, 3, 5, 5]`: how PyTorch's C++ errors print sizes. */
export const sizes = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** One value per spatial dim, with PyTorch's error for a list of the wrong length. */
export function perDim(name: string, value: IntOrTuple, dims: number, what = 'convolution'): number[] {
  const values = typeof value === 'number' ? new Array<number>(dims).fill(value) : [...value];
  if (values.length !== dims || values.some((v) => !Number.isInteger(v))) {
    throw new RangeError(
      `expected ${name} to be a single integer value or a list of ${dims} values to match the ${what} dimensions, but got ${name}=${sizes(values)}`,
    );
  }
  return values;
}

/** `[N, C, ...spatial]` for batched input, or `[C, ...spatial]` made a batch of one (PyTorch 1.13's unbatched forms). */
export function batched(fn: string, input: Tensor, dims: number): { input: Tensor; unbatched: boolean } {
  if (input.ndim === dims + 2) return { input, unbatched: false };
  if (input.ndim === dims + 1) return { input: input.unsqueeze(0), unbatched: true };
  throw new RangeError(
    `Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${fn}, but got input of size: ${sizes(input.shape)}`,
  );
}

/** `floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1`, PyTorch's output size. */
export function slidingOutput(input: number, padTotal: number, kernel: number, stride: number, dilation: number): number {
  return Math.floor((input + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
}
