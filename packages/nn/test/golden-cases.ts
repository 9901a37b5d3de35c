// The case format of tooling/fixtures/nn_more_common.py (activations, losses, structure): one call with its
// PyTorch outputs and the gradients of sum(output * upstream).

import { expect } from 'vitest';
import type { Tensor } from '@descent/tensor';
import { expectClose, fromFixture, type FixtureTensor } from './fixtures.js';

export interface GoldenCase {
  op: string;
  args: unknown[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  kwargs: Record<string, any>;
  inputs: FixtureTensor[];
  diff: boolean[];
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: (FixtureTensor | null)[];
}

/** PyTorch's keyword arguments, camelCased into the trailing options object (tensors built). */
export function camel(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    const isTensor = typeof value === 'object' && value !== null && 'shape' in value && 'data' in value;
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = isTensor ? fromFixture(value as FixtureTensor) : value;
  }
  return out;
}

/** The call as a user writes it: positional args as given, then the options object when there are kwargs. */
export function callArgs(c: GoldenCase): unknown[] {
  return Object.keys(c.kwargs).length > 0 ? [...c.args, camel(c.kwargs)] : [...c.args];
}

/** A case's inputs, the differentiated ones requiring grad. */
export function caseInputs(c: GoldenCase): Tensor[] {
  return c.inputs.map((t, i) => fromFixture(t, c.diff[i]));
}

/** Checks `out` against the case's output and the inputs' gradients after backward of sum(out * upstream). */
export function checkCase(c: GoldenCase, inputs: Tensor[], out: Tensor, tol = { rtol: 1e-5, atol: 1e-6 }): void {
  expectClose(out, c.output, tol.rtol, tol.atol, 'output');
  if (!c.diff.some(Boolean)) return;
  out.mul(fromFixture(c.upstream)).sum().backward();
  c.grads.forEach((g, i) => {
    if (!g) return;
    expect(inputs[i].grad, `grad ${i}`).not.toBeNull();
    expectClose(inputs[i].grad!, g, tol.rtol * 10, tol.atol * 10, `grad ${i}`);
  });
}

/** `it.each` rows: a readable name and the case. */
export function caseRows<C extends GoldenCase>(cases: C[]): [string, C][] {
  return cases.map((c, i) => [`${i} ${c.op}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, c]);
}
