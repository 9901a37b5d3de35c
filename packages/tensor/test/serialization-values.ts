// What the serialization tests compare: a tensor's exact elements (bigints for int64) against the values the
// fixture generators recorded from PyTorch (tooling/fixtures/gen_safetensors.py, gen_torch_checkpoints.py).
import { expect } from 'vitest';
import { hostArray, type DType } from '@descent/backend';
import { fromArray } from '../src/ops/creation.js';
import type { Tensor } from '../src/tensor.js';

/** The Descent dtype each PyTorch dtype loads as: its own, except float16 and bfloat16 (float32). */
export const LOADS_AS: Readonly<Record<string, DType>> = {
  float32: 'float32', float64: 'float64', float16: 'float32', bfloat16: 'float32',
  int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool',
};

/** A value as the generators write it: a number (NaN/Infinity parsed), a bool, {"__int__": digits} or {"__float__": name}. */
export type RecordedValue = number | boolean | { __int__: string } | { __float__: string };

function scalar(value: RecordedValue): number | bigint {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if ('__int__' in value) return BigInt(value.__int__);
  return { nan: NaN, inf: Infinity, '-inf': -Infinity }[value.__float__] ?? NaN;
}

/** PyTorch's recorded values of a `dtype` tensor as the elements the loaded tensor holds (`dataSync()`). */
export function elementsOf(dtype: string, data: readonly RecordedValue[]): (number | bigint)[] {
  const loadsAs = LOADS_AS[dtype];
  return data.map((v) => {
    const x = scalar(v);
    if (loadsAs === 'int64') return BigInt(x);
    return loadsAs === 'float32' ? Math.fround(Number(x)) : Number(x);
  });
}

/** A tensor's elements, exactly: bigints for int64, numbers (bools as 0/1) for the rest. */
export function elements(t: Tensor): (number | bigint)[] {
  return Array.from(t.dataSync() as ArrayLike<number | bigint>);
}

/** A tensor loaded from a file against PyTorch's description of it: dtype, shape and every element exactly (-0 too). */
export function expectTensor(actual: Tensor, reference: { dtype: string; shape: number[]; data: RecordedValue[] }, name = ''): void {
  expect([actual.dtype, actual.shape], name).toEqual([LOADS_AS[reference.dtype], reference.shape]);
  expect(elements(actual), name).toEqual(elementsOf(reference.dtype, reference.data));
}

/** A tensor of a PyTorch dtype Descent holds, from PyTorch's recorded values. */
export function tensorOf(reference: { dtype: string; shape: number[]; data: RecordedValue[] }): Tensor {
  const dtype = LOADS_AS[reference.dtype];
  const values = elementsOf(reference.dtype, reference.data);
  const host = hostArray(dtype, values.length);
  values.forEach((v, i) => (host[i] = v as never));
  return fromArray(host, reference.shape, { dtype });
}
