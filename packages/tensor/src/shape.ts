/** Shape arithmetic shared by the ops: broadcasting, dim wrapping and the errors PyTorch gives for each. */

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Wraps a possibly negative dim into `[0, rank)`, with PyTorch's message when it is out of range. */
export function normalizeDim(dim: number, rank: number): number {
  const r = Math.max(rank, 1); // a 0-d tensor accepts dim 0 and -1
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + r : dim;
}

export function normalizeDims(dims: number | readonly number[], rank: number): number[] {
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, rank));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new RangeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

/** The broadcast shape; returns `a` itself (same reference) when the shapes are equal, which kernels use as a fast path. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  if (a === b) return a as number[];
  if (a.length === b.length) {
    let same = true;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) same = false;
    if (same) return a as number[];
  }
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  const leadA = rank - a.length;
  const leadB = rank - b.length;
  for (let i = 0; i < rank; i++) {
    // Bounds-checked: reading a[-1] would be a slow string-keyed property lookup in V8.
    const da = i < leadA ? 1 : a[i - leadA];
    const db = i < leadB ? 1 : b[i - leadB];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves a `-1` entry and checks the element count, as `view`/`reshape` do. */
export function inferShape(shape: readonly number[], total: number): number[] {
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (s === -1) {
      if (inferred !== -1) throw new RangeError('only one dimension can be inferred');
      inferred = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`invalid shape dimension ${s}`);
    } else known *= s;
  }
  const out = shape.slice();
  if (inferred !== -1) {
    if (known === 0 || total % known !== 0) {
      throw new RangeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${total}`);
    }
    out[inferred] = total / known;
  } else if (known !== total) {
    throw new RangeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${total}`);
  }
  return out;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
