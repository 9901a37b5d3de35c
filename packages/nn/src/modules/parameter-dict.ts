import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { pyTypeName } from '../python-repr.js';
import { asParameter, parameterLine } from './parameter-repr.js';

/**
 * Holds parameters by name, in insertion order, as `nn.ParameterDict`: `get(key)` / `set(key, p)` stand for
 * Python's `d[key]`; iterating yields the keys. A plain tensor stored in it becomes a Parameter.
 */
export class ParameterDict extends Module {
  declare private readonly entriesByName: Map<string, Parameter>;

  constructor(parameters: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>> | null = null) {
    super();
    Object.defineProperty(this, 'entriesByName', { value: new Map(), enumerable: false });
    if (parameters !== null) this.update(parameters);
  }

  override _namedAttributes(): [string, unknown][] {
    return [...super._namedAttributes(), ...this.entriesByName];
  }

  /** The number of parameters, as `len(...)`. */
  override get length(): number {
    return this.entriesByName.size;
  }

  get(key: string): Parameter {
    const p = this.entriesByName.get(key);
    if (p === undefined) throw new RangeError(`ParameterDict has no key '${key}'`);
    return p;
  }

  set(key: string, value: Tensor): void {
    if (typeof key !== 'string') throw new TypeError(`parameter name should be a string. Got ${pyTypeName(key)}`);
    if (key.includes('.')) throw new Error('parameter name can\'t contain "."');
    if (key === '') throw new Error('parameter name can\'t be empty string ""');
    this.entriesByName.set(key, asParameter(value));
  }

  has(key: string): boolean {
    return this.entriesByName.has(key);
  }

  /** Removes `key`, as `del d[key]`. */
  delete(key: string): void {
    this.pop(key);
  }

  /** Removes `key` and returns its parameter. */
  pop(key: string): Parameter {
    const p = this.get(key);
    this.entriesByName.delete(key);
    return p;
  }

  clear(): void {
    this.entriesByName.clear();
  }

  keys(): string[] {
    return [...this.entriesByName.keys()];
  }

  values(): Parameter[] {
    return [...this.entriesByName.values()];
  }

  items(): [string, Parameter][] {
    return [...this.entriesByName.entries()];
  }

  /** Adds or replaces the entries of `parameters`, in their order. */
  update(parameters: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>): void {
    const entries = parameters instanceof Map ? [...parameters.entries()] : Object.entries(parameters);
    for (const [key, value] of entries) this.set(key, value as Tensor);
  }

  *[Symbol.iterator](): Iterator<string> {
    yield* this.entriesByName.keys();
  }

  override extraRepr(): string {
    return this.items()
      .map(([key, p]) => parameterLine(key, p, 'dict'))
      .join('\n');
  }
}
