import { numelOf, type DType } from '@descent/backend';
import { broadcast, LAYOUTS, strided, type StridedSpec } from '../layouts.js';
import type { Value } from '../reference.js';

export type ValueSource = (count: number, seed: number) => Value[];

export interface NamedSpec {
  readonly name: string;
  readonly spec: StridedSpec;
}

/** One input placed in every odd way the tensor layer can produce: layouts, broadcasts, 0-d, empty, rank 4. */
export function unaryVariants(dtype: DType, values: ValueSource): NamedSpec[] {
  const shape = [3, 4];
  return [
    ...LAYOUTS.map((layout) => ({ name: layout.name, spec: strided(dtype, values(12, 11), shape, layout.options(2)) })),
    { name: 'broadcast row (stride 0)', spec: broadcast(dtype, values(4, 12), [1, 4], shape, 2) },
    { name: 'broadcast 0-d to [2, 3]', spec: broadcast(dtype, values(1, 13), [], [2, 3], 1) },
    { name: '0-d at an offset', spec: strided(dtype, values(1, 14), [], { offset: 1 }) },
    { name: 'empty', spec: strided(dtype, [], [2, 0, 3]) },
    { name: 'rank 4, permuted', spec: strided(dtype, values(24, 15), [2, 3, 2, 2], { order: [2, 0, 3, 1], offset: 1 }) },
    { name: 'rank 4, stepped', spec: strided(dtype, values(24, 16), [2, 3, 2, 2], { step: 2, offset: 3 }) },
  ];
}

export interface NamedPair {
  readonly name: string;
  readonly a: StridedSpec;
  readonly b: StridedSpec;
}

/** Two same-shape operands in mismatched odd layouts, as broadcasting and views hand them to a binary kernel. */
export function binaryVariants(dtype: DType, values: ValueSource): NamedPair[] {
  const shape = [3, 4];
  const n = numelOf(shape);
  const s = (seed: number, options = {}) => strided(dtype, values(n, seed), shape, options);
  const rank4 = [2, 3, 2, 2];
  return [
    { name: 'transposed and contiguous', a: s(21, { order: [1, 0] }), b: s(22) },
    { name: 'contiguous and stepped', a: s(23), b: s(24, { step: 2, offset: 1 }) },
    { name: 'offset and transposed at an offset', a: s(25, { offset: 3 }), b: s(26, { order: [1, 0], offset: 2 }) },
    { name: 'broadcast row and broadcast column', a: broadcast(dtype, values(4, 27), [1, 4], shape, 1), b: broadcast(dtype, values(3, 28), [3, 1], shape, 2) },
    { name: 'full and broadcast scalar', a: s(29), b: broadcast(dtype, values(1, 30), [], shape, 3) },
    { name: 'broadcast scalar and full', a: broadcast(dtype, values(1, 31), [1, 1], shape, 2), b: s(32, { step: 2 }) },
    { name: 'contiguous at an offset and broadcast row (a bias)', a: s(38, { offset: 2 }), b: broadcast(dtype, values(4, 39), [4], shape, 1) },
    { name: 'broadcast row and contiguous at an offset', a: broadcast(dtype, values(4, 40), [1, 4], shape, 3), b: s(41, { offset: 1 }) },
    {
      name: 'a repeated [2, 3] block against rank 3',
      a: broadcast(dtype, values(6, 42), [2, 3], [4, 2, 3], 2),
      b: strided(dtype, values(24, 43), [4, 2, 3], { offset: 1 }),
    },
    { name: 'both 0-d', a: strided(dtype, values(1, 33), [], { offset: 2 }), b: strided(dtype, values(1, 34), []) },
    { name: 'empty', a: strided(dtype, [], [0, 4]), b: broadcast(dtype, values(4, 35), [4], [0, 4]) },
    {
      name: 'rank 4, permuted and broadcast',
      a: strided(dtype, values(24, 36), rank4, { order: [3, 1, 0, 2], offset: 1 }),
      b: broadcast(dtype, values(6, 37), [1, 3, 1, 2], rank4, 4),
    },
  ];
}
