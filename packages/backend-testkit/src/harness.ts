import { numelOf, supportedDTypes, type Backend, type DType, type HostArray, type Operand } from '@descent/backend';
import { describeMismatches, type Expectation } from './compare.js';
import type { StridedSpec } from './layouts.js';
import type { ResolvedTolerance } from './options.js';
import type { OptionalMethod } from './optional.js';
import { isNotImplementedError, MissingPrimitiveError, type Primitive } from './primitives.js';
import { toDType, type Value } from './reference-core.js';

/** The host array type of each dtype, from numbers (and bigints for int64). */
const HOST_ARRAY: Record<DType, { readonly name: string; readonly is: (x: unknown) => boolean; readonly from: (values: readonly Value[]) => HostArray }> = {
  float32: { name: 'Float32Array', is: (x) => x instanceof Float32Array, from: (v) => Float32Array.from(v, Number) },
  float64: { name: 'Float64Array', is: (x) => x instanceof Float64Array, from: (v) => Float64Array.from(v, Number) },
  int64: { name: 'BigInt64Array', is: (x) => x instanceof BigInt64Array, from: (v) => BigInt64Array.from(v, (x) => toDType('int64', x) as bigint) },
  int32: { name: 'Int32Array', is: (x) => x instanceof Int32Array, from: (v) => Int32Array.from(v, Number) },
  int16: { name: 'Int16Array', is: (x) => x instanceof Int16Array, from: (v) => Int16Array.from(v, Number) },
  int8: { name: 'Int8Array', is: (x) => x instanceof Int8Array, from: (v) => Int8Array.from(v, Number) },
  uint8: { name: 'Uint8Array', is: (x) => x instanceof Uint8Array, from: (v) => Uint8Array.from(v, Number) },
  bool: { name: 'Uint8Array', is: (x) => x instanceof Uint8Array, from: (v) => Uint8Array.from(v, Number) },
};

/** The dtype's host array holding `values` (as the dtype stores them: a float32 rounds, an int64 is a bigint). */
export function toHostArray(dtype: DType, values: readonly Value[]): HostArray {
  return HOST_ARRAY[dtype].from(values);
}

interface TrackedInput {
  readonly buffer: unknown;
  readonly spec: StridedSpec;
}

/**
 * What a case sees of the backend. Every call goes through `call`, which turns a missing method or a
 * "not implemented" error into a `MissingPrimitiveError` naming the primitive. Buffers the case creates are freed
 * afterwards, and inputs are read back to check that no kernel wrote to them.
 */
export class Harness {
  private readonly buffers: unknown[] = [];
  private readonly inputs: TrackedInput[] = [];

  constructor(
    readonly backend: Backend,
    readonly backendName: string,
    readonly tolerance: ResolvedTolerance,
    /** Marks the running test skipped (vitest's `context.skip`). */
    readonly skip: (note: string) => never,
  ) {}

  /** Skips the running case when the backend does not store `dtype` (it says so in `Backend.dtypes`). */
  need(...dtypes: DType[]): void {
    const supported = supportedDTypes(this.backend);
    const missing = dtypes.find((dtype) => !supported.includes(dtype));
    if (missing) this.skip(`backend '${this.backendName}' does not support dtype '${missing}' (its Backend.dtypes)`);
  }

  /** Calls one primitive of the backend, naming it when the backend lacks it. */
  call<T>(primitive: Primitive, invoke: (backend: Backend) => T): T {
    if (typeof this.backend[primitive] !== 'function') {
      throw new MissingPrimitiveError(this.backendName, primitive, 'no such method');
    }
    try {
      return invoke(this.backend);
    } catch (error) {
      if (isNotImplementedError(error)) throw new MissingPrimitiveError(this.backendName, primitive, (error as Error).message);
      throw error;
    }
  }

  /** Runs a kernel and keeps its output buffer for release after the case. */
  kernel(primitive: Primitive, invoke: (backend: Backend) => unknown): unknown {
    const buffer = this.call(primitive, invoke);
    if (buffer === undefined || buffer === null) throw new Error(`${primitive} returned ${buffer} instead of a buffer`);
    this.buffers.push(buffer);
    return buffer;
  }

  /**
   * Calls an optional method (which the suite only runs when the backend has it) and keeps the buffers it returns for
   * release. A "not implemented" error for this input skips the case: the tensor layer composes the math instead.
   */
  optional<M extends OptionalMethod, T>(method: M, invoke: (backend: Backend & Required<Pick<Backend, M>>) => T): T {
    if (typeof this.backend[method] !== 'function') this.skip(`backend '${this.backendName}' has no optional method '${method}'`);
    let result: T;
    try {
      result = invoke(this.backend as Backend & Required<Pick<Backend, M>>);
    } catch (error) {
      if (isNotImplementedError(error)) this.skip(`optional method '${method}' of backend '${this.backendName}': ${(error as Error).message}`);
      throw error;
    }
    // A method with several outputs (the recurrent cells) returns them as an array of buffers.
    if (Array.isArray(result)) this.buffers.push(...(result as unknown[]));
    else if (result !== undefined && result !== null) this.buffers.push(result);
    return result;
  }

  /** Uploads `values` as `dtype`; the case is skipped when the backend does not support the dtype. */
  upload(dtype: DType, values: readonly Value[]): unknown {
    this.need(dtype);
    return this.kernel('upload', (b) => b.upload(toHostArray(dtype, values), dtype));
  }

  alloc(numel: number, dtype: DType): unknown {
    this.need(dtype);
    return this.kernel('alloc', (b) => b.alloc(numel, dtype));
  }

  /**
   * Uploads a spec's backing array and returns it as an operand. Unless `writable`, the buffer is read back after
   * the case, and any change fails the case: kernels must not write to their inputs.
   */
  input(spec: StridedSpec, writable = false): Operand<unknown> {
    const buffer = this.upload(spec.dtype, spec.backing);
    if (!writable) this.inputs.push({ buffer, spec });
    return { buffer, view: spec.view, dtype: spec.dtype };
  }

  /** Reads `numel` elements, checking that `read` returns the dtype's TypedArray of that length. */
  async read(buffer: unknown, dtype: DType, numel: number): Promise<Value[]> {
    const host = await this.call('read', (b) => b.read(buffer, dtype, numel)).catch((error: unknown) => {
      if (isNotImplementedError(error)) throw new MissingPrimitiveError(this.backendName, 'read', (error as Error).message);
      throw error;
    });
    const expected = HOST_ARRAY[dtype];
    if (!expected.is(host)) {
      throw new Error(`read(${dtype}) returned ${Object.prototype.toString.call(host)}, expected a ${expected.name}`);
    }
    if (host.length !== numel) throw new Error(`read(buffer, ${dtype}, ${numel}) returned ${host.length} elements`);
    return Array.from<Value>(host);
  }

  /** Reads a kernel's contiguous output and compares it with the reference values. */
  async expectBuffer(what: string, buffer: unknown, expected: Expectation): Promise<void> {
    const actual = await this.read(buffer, expected.dtype, numelOf(expected.shape));
    const problem = describeMismatches(`${what} [${expected.shape.join(', ')}]`, actual, expected, this.tolerance);
    if (problem) throw new Error(problem);
  }

  /** Fails when a read-only input changed. */
  async verifyInputsUnchanged(): Promise<void> {
    for (const { buffer, spec } of this.inputs) {
      const now = await this.read(buffer, spec.dtype, spec.backing.length);
      const problem = describeMismatches(
        'an input buffer was modified by the kernel',
        now,
        { dtype: spec.dtype, shape: [spec.backing.length], values: Array.from<Value>(toHostArray(spec.dtype, spec.backing)), kind: 'exact' },
        this.tolerance,
      );
      if (problem) throw new Error(problem);
    }
  }

  /** Frees every buffer the case made. Errors are ignored: the free cases report them. */
  release(): void {
    if (typeof this.backend.free !== 'function') return;
    for (const buffer of this.buffers.splice(0)) {
      try {
        this.backend.free(buffer);
      } catch {
        // reported by the free cases
      }
    }
  }

  /** Frees a buffer now (a case that tests free), so release will not free it twice. */
  free(buffer: unknown): void {
    this.call('free', (b) => b.free(buffer));
    const at = this.buffers.indexOf(buffer);
    if (at >= 0) this.buffers.splice(at, 1);
    const input = this.inputs.findIndex((tracked) => tracked.buffer === buffer);
    if (input >= 0) this.inputs.splice(input, 1);
  }
}
