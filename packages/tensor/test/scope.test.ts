import { describe, expect, it } from 'vitest';
import { scope, tensor } from '../src/index.js';

describe('scope()', () => {
  it('never disposes the cached scalar operands it happens to create', () => {
    const x = tensor([1, 2, 3]);
    // 12345.5 is first seen inside the scope, which creates and caches its 0-d operand there.
    const first = scope(() => x.mul(12345.5));
    expect(first.tolist()).toEqual([12345.5, 24691, 37036.5]);
    const second = scope(() => x.add(12345.5));
    expect(second.tolist()).toEqual([12346.5, 12347.5, 12348.5]);
  });
});
