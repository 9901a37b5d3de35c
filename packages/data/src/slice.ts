import type { SliceSpec } from '@descent/tensor';

/**
 * Python's `start:stop:step`, for `dataset.get(slice(0, 3))` (the `train_ds[0:3]` of PyTorch).
 * `null` means "from the beginning" / "to the end"; negative values count from the end.
 */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): SliceSpec {
  return { start, stop, step };
}

export function isSliceSpec(value: unknown): value is SliceSpec {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ('start' in value || 'stop' in value || 'step' in value)
  );
}
