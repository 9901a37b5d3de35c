/** Every number in a text, in order (`1e-5`, `-0.3725`, `153604.7656`, `[ 11, 1 ]`...). */
export function numbersIn(text: string): number[] {
  return (text.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
}

export interface NumberMismatch {
  readonly index: number;
  readonly expected: number;
  readonly actual: number;
}

/**
 * Compares the numbers two outputs print, in order, within `rtol * |expected| + atol`: the way to check
 * Descent's printout against PyTorch's (float32 sums in another order move the last printed digit) or WebGPU's
 * against the CPU's. Returns a description of what differs, or null when they agree.
 */
export function compareNumbers(actual: string, expected: string, rtol: number, atol: number): string | null {
  const a = numbersIn(actual);
  const e = numbersIn(expected);
  if (a.length !== e.length) return `printed ${a.length} numbers, expected ${e.length}`;
  const mismatches: NumberMismatch[] = [];
  e.forEach((value, index) => {
    if (Math.abs(a[index] - value) > rtol * Math.abs(value) + atol) mismatches.push({ index, expected: value, actual: a[index] });
  });
  if (mismatches.length === 0) return null;
  return mismatches
    .slice(0, 5)
    .map((m) => `number #${m.index + 1}: got ${m.actual}, expected ${m.expected}`)
    .join('\n');
}
