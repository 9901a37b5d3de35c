import { isTensor, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { defineNegativeIndices } from './negative-indices.js';
import { asParameter, parameterLine } from './parameter-repr.js';

/**
 * Holds parameters in a list so they are registered (`0`, `1`, ... in the state dict), as `nn.ParameterList`:
 * `list[0]`, `list[-1]` or `list.at(-1)` reads one, `set(i, p)` replaces one, and it iterates its parameters. A plain tensor
 * added to it becomes a Parameter, as in PyTorch 1.13.
 */
export class ParameterList extends Module {
  readonly [index: number]: Parameter;

  static {
    defineNegativeIndices<Tensor>(ParameterList.prototype);
  }

  constructor(values: Iterable<Tensor> | null = null) {
    super();
    if (values !== null) this.extend(values);
  }

  /** The number of parameters, as `len(...)`. */
  override get length(): number {
    return this._ownParameters().length;
  }

  *[Symbol.iterator](): Iterator<Parameter> {
    for (const [, p] of this._ownParameters()) yield p;
  }

  /** The parameter at `index`, counting from the end when negative. */
  at(index: number): Parameter {
    return this._ownParameters()[this.absoluteIndex(index)][1];
  }

  /** Replaces the parameter at `index`, as `list[index] = p`. */
  set(index: number, value: Tensor): void {
    this.registerParameter(String(this.absoluteIndex(index)), asParameter(value));
  }

  /** Appends `value` under the next index; returns this. */
  append(value: Tensor): this {
    this.registerParameter(String(this.length), asParameter(value));
    return this;
  }

  /** Appends every tensor of `values`; returns this. */
  extend(values: Iterable<Tensor>): this {
    // PyTorch never unpacks a tensor here (it is iterable there) and names its class.
    if (isTensor(values)) throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${values.constructor.name}`);
    if (values === null || typeof (values as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${typeof values}`);
    }
    for (const value of [...values]) this.append(value);
    return this;
  }

  private absoluteIndex(index: number): number {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`index ${index} is out of range`);
    return index < 0 ? index + n : index;
  }

  override extraRepr(): string {
    return this._ownParameters()
      .map(([key, p]) => parameterLine(key, p, 'list'))
      .join('\n');
  }
}
