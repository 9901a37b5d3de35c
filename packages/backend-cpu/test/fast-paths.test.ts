import type { BinaryOp, HostArray, Operand } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/cpu-backend.js';

const cpu = createCpuBackend();

function operand(buffer: HostArray, shape: number[], strides: number[]): Operand<HostArray> {
  const dtype = buffer instanceof Float32Array ? 'float32' : buffer instanceof Float64Array ? 'float64' : 'int32';
  return { buffer, dtype, view: { shape, strides, offset: 0 } } as Operand<HostArray>;
}

const contiguous = (shape: number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

describe('per-channel broadcast (a [C, 1, 1] against [N, C, H, W]): the same bits as the materialized operand', () => {
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'lt'];
  const shapes: [number[], number[]][] = [
    [[2, 3, 4, 5], [3, 1, 1]],
    [[4, 6, 7], [6, 1]],
    [[3, 2, 2, 9], [2, 2, 1]],
  ];
  it.each(shapes)('%j with %j', (shape, small) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const c = Float32Array.from({ length: small.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i) + 0.5);
    // The small operand broadcast: its own strides on its dims (right-aligned), 0 where it has size 1 or no dim.
    const smallStrides = contiguous(small);
    const lead = shape.length - small.length;
    const strides = shape.map((_, d) => (d < lead || small[d - lead] === 1 ? 0 : smallStrides[d - lead]));
    const materialized = new Float32Array(n);
    const full = contiguous(shape);
    for (let i = 0; i < n; i++) {
      let rem = i;
      let p = 0;
      for (let d = 0; d < shape.length; d++) {
        p += Math.floor(rem / full[d]) * strides[d];
        rem %= full[d];
      }
      materialized[i] = c[p];
    }
    for (const op of ops) {
      const xa = operand(x, shape, contiguous(shape));
      const expected = cpu.binary(op, xa, operand(materialized, shape, contiguous(shape)));
      expect(Array.from(cpu.binary(op, xa, operand(c, shape, strides)) as Float32Array), `${op} right`).toEqual(Array.from(expected as Float32Array));
      const expectedLeft = cpu.binary(op, operand(materialized, shape, contiguous(shape)), xa);
      expect(Array.from(cpu.binary(op, operand(c, shape, strides), xa) as Float32Array), `${op} left`).toEqual(Array.from(expectedLeft as Float32Array));
    }
  });
});

describe('float32 max and argmax over short blocks', () => {
  it('propagate the first NaN and otherwise pick the first largest (-0 before 0 stays -0, as PyTorch 1.13 gives)', () => {
    const data = Float32Array.from([1, 3, 3, 2, NaN, 5, NaN, 1, -Infinity, -Infinity, -0, 0, 7, 7, 7, 7]);
    const x = operand(data, [4, 4], [4, 1]);
    expect(Array.from(cpu.reduce('max', x, 1) as Float32Array)).toEqual([3, NaN, -0, 7]);
    expect(Array.from(cpu.reduce('argmax', x, 1) as BigInt64Array)).toEqual([1n, 0n, 2n, 0n]);
  });
});

describe('float32 to int64 casts', () => {
  it('truncate toward zero in the int32 range and keep exact values beyond it', () => {
    const data = Float32Array.from([-0.5, 2.9, -2.9, 2147483520, -2147483648, 2 ** 40, -(2 ** 40)]);
    const out = cpu.cast(operand(data, [7], [1]), 'int64') as BigInt64Array;
    expect(Array.from(out)).toEqual([0n, 2n, -2n, 2147483520n, -2147483648n, 2n ** 40n, -(2n ** 40n)]);
  });
});
