import { stack, Tensor, tensor } from '@descent/tensor';

/**
 * The type `defaultCollate` turns a batch of `T` into: tensors and numbers become one tensor with a leading batch
 * dimension, strings stay a list, tuples/arrays and objects are collated position by position / key by key.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `torch.utils.data.default_collate`: merges a list of samples into a batch.
 * Tensors are stacked (`stack(batch, 0)`); numbers and booleans become a tensor (all-integer numbers give int64,
 * Descent's stand-in for int64; others float32, where PyTorch gives float64 for Python floats); strings stay a
 * list; arrays and tuples are collated per position (returning an array, as PyTorch returns a list); plain
 * objects per key.
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  return collate(batch as readonly unknown[], 'batch') as Collated<T>;
}

function collate(batch: readonly unknown[], path: string): unknown {
  if (batch.length === 0) throw new RangeError('defaultCollate: the batch is empty');
  const elem = batch[0];
  const sameKind = (check: (v: unknown) => boolean, kind: string) => {
    batch.forEach((v, i) => {
      if (!check(v)) {
        throw new TypeError(`defaultCollate: ${path} mixes types: element 0 is ${kind}, element ${i} is ${describe(v)}`);
      }
    });
  };
  if (elem instanceof Tensor) {
    sameKind((v) => v instanceof Tensor, 'a Tensor');
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === 'number' || typeof elem === 'boolean') {
    sameKind((v) => typeof v === 'number' || typeof v === 'boolean', 'a number');
    return tensor(batch as number[] | boolean[]);
  }
  if (typeof elem === 'string') {
    sameKind((v) => typeof v === 'string', 'a string');
    return batch.slice();
  }
  if (Array.isArray(elem)) {
    sameKind((v) => Array.isArray(v), 'an array');
    const size = elem.length;
    if (!batch.every((v) => (v as unknown[]).length === size)) {
      throw new RangeError('each element in list of batch should be of equal size');
    }
    return Array.from({ length: size }, (_, i) => collate(batch.map((v) => (v as unknown[])[i]), `${path}[${i}]`));
  }
  if (isPlainObject(elem)) {
    sameKind(isPlainObject, 'an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      const column = batch.map((v, i) => {
        const record = v as Record<string, unknown>;
        if (!(key in record)) throw new TypeError(`defaultCollate: key '${key}' of element 0 is missing from element ${i} of ${path}`);
        return record[key];
      });
      out[key] = collate(column, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(
    `default_collate: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${describe(elem)}` +
      ' (pass a collateFn to the DataLoader for other types)',
  );
}
