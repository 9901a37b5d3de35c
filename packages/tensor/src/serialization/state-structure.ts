/**
 * Nested state (an optimizer's `{state: {0: {momentumBuffer, step}}, paramGroups: [...]}`) in a safetensors file:
 * the tensors go in as flat entries named by their path (`state.0.momentumBuffer`), and everything else goes in
 * the metadata as JSON, with each tensor replaced by a `{"__tensor__": name}` placeholder.
 */

import { Tensor } from '../tensor.js';
import { SafetensorsError } from './safetensors.js';

/** The metadata key that holds the structure of nested state. */
export const STRUCTURE_KEY = 'descent.structure';
const TENSOR_MARK = '__tensor__';
const NUMBER_MARK = '__number__';

export interface FlatState {
  tensors: Record<string, Tensor>;
  /** JSON of the non-tensor structure; null for a flat state dict (every value a tensor). */
  structure: string | null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Splits a state object into named tensors and the JSON of the rest. */
export function flattenState(state: object): FlatState {
  if (!isPlainObject(state)) {
    throw new TypeError('save expects a plain object: a state dict of tensors, or nested objects/arrays holding tensors');
  }
  const values = Object.values(state);
  if (values.every((v) => v instanceof Tensor)) return { tensors: { ...(state as Record<string, Tensor>) }, structure: null };

  const tensors: Record<string, Tensor> = {};
  const walk = (value: unknown, path: string[]): unknown => {
    const where = path.length ? `"${path.join('.')}"` : 'the top level';
    if (value instanceof Tensor) {
      const name = path.join('.');
      if (Object.prototype.hasOwnProperty.call(tensors, name)) {
        throw new RangeError(`save: two tensors map to the name "${name}"; rename one of them`);
      }
      defineEntry(tensors, name, value);
      return { [TENSOR_MARK]: name };
    }
    if (typeof value === 'number') return Number.isFinite(value) ? value : { [NUMBER_MARK]: String(value) };
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((item, i) => walk(item === undefined ? null : item, [...path, String(i)]));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === TENSOR_MARK || key === NUMBER_MARK) throw new RangeError(`save: the key "${key}" at ${where} is reserved`);
        if (value[key] !== undefined) defineEntry(out, key, walk(value[key], [...path, key]));
      }
      return out;
    }
    const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
    throw new TypeError(`save: cannot store a ${kind} at ${where}; use tensors, numbers, strings, booleans, null, arrays and plain objects`);
  };
  const structure = JSON.stringify(walk(state, []));
  return { tensors, structure };
}

/** Rebuilds what {@link flattenState} split; with no structure, the tensors themselves. */
export function unflattenState(tensors: Record<string, Tensor>, structure: string | null | undefined): unknown {
  if (structure === null || structure === undefined) return tensors;
  let parsed: unknown;
  try {
    parsed = JSON.parse(structure);
  } catch (error) {
    throw new SafetensorsError(`safetensors: the "${STRUCTURE_KEY}" metadata is not valid JSON: ${(error as Error).message}`);
  }
  const used = new Set<string>();
  const rebuild = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rebuild);
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === TENSOR_MARK) {
      const name = value[TENSOR_MARK] as string;
      if (!Object.prototype.hasOwnProperty.call(tensors, name)) {
        throw new SafetensorsError(`safetensors: the structure refers to tensor "${name}", which the file does not hold`);
      }
      used.add(name);
      return tensors[name];
    }
    if (keys.length === 1 && keys[0] === NUMBER_MARK) return Number(value[NUMBER_MARK]);
    const out: Record<string, unknown> = {};
    for (const key of keys) defineEntry(out, key, rebuild(value[key]));
    return out;
  };
  const state = rebuild(parsed);
  const unused = Object.keys(tensors).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new SafetensorsError(`safetensors: tensors ${unused.map((n) => `"${n}"`).join(', ')} are not part of the saved structure`);
  }
  return state;
}
