import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { bitonicArgsort } from '../src/ops/bitonic.js';

/** A deterministic stream, so a failure reproduces. */
function stream(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('the composed argsort (what backends without an argsort kernel run) gives the CPU kernel\'s order', () => {
  const next = stream(11);
  const lengths = [1, 2, 3, 5, 8, 17, 100];
  it.each(lengths)('rows of %i: floats with ties, NaN and infinities; ints', (n) => {
    const pick = () => {
      const r = next();
      if (r < 0.05) return NaN;
      if (r < 0.1) return Infinity;
      if (r < 0.15) return -Infinity;
      return Math.floor(next() * 7) - 3;
    };
    const floats = torch.tensor(Array.from({ length: 3 * n }, pick)).reshape(3, n);
    const ints = torch.tensor(Array.from({ length: 2 * n }, () => Math.floor(next() * 9) - 4), { dtype: 'int32' }).reshape(2, n);
    for (const x of [floats, ints]) {
      for (const descending of [false, true]) {
        expect(bitonicArgsort(x, descending).tolist(), `${x.dtype} descending=${descending}`).toEqual(x.argsort(-1, { descending, stable: true }).tolist());
      }
    }
  });
});
