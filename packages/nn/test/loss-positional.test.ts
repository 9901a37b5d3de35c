import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import '@descent/autograd';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Losses with PyTorch's positional arguments, the deprecated size_average and reduce (None, or a flag that overrides
// `reduction` with a warning) included: `F.smooth_l1_loss(x, y, None, None, 'mean', 0.5)` crashed on the null, and
// `F.cross_entropy(x, y, w)` and `nn.CrossEntropyLoss(w)` dropped the weight without a word.
// fixtures/gen_loss_positional.py writes loss-positional.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('loss-positional', new URL('./fixtures/', import.meta.url));

interface Case {
  fn: string;
  module: string | null;
  inputs: string[];
  args: unknown[];
  out: FixtureTensor;
  module_reduction?: string;
  module_out?: FixtureTensor;
  warnings: string[];
}

interface ErrorCase {
  call: string;
  inputs: string[];
  args: unknown[];
  kwargs: Record<string, unknown>;
  message: string;
}

const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const inputs: Record<string, Tensor> = Object.fromEntries(Object.entries(golden.inputs as Record<string, FixtureTensor>).map(([k, t]) => [k, fromFixture(t)]));
/** `'tensor:w3'` names an input tensor; anything else is the value itself (null for None). */
const arg = (v: unknown): unknown => (typeof v === 'string' && v.startsWith('tensor:') ? inputs[v.slice('tensor:'.length)] : v);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each loss has its own argument list
const F = nn.functional as unknown as Record<string, (...a: any[]) => Tensor>;
type LossModule = ((...inputs: Tensor[]) => Tensor) & { reduction: string };
const modules = nn as unknown as Record<string, new (...a: unknown[]) => LossModule>;

const label = (c: { fn?: string; call?: string; args: unknown[] }) => `${c.fn ?? c.call}(..., ${c.args.map((a) => JSON.stringify(a)).join(', ')})`;

describe('losses take PyTorch 1.13 positional arguments', () => {
  const warned: string[] = [];
  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation((message: string) => void warned.push(message));
  });
  afterAll(() => vi.restoreAllMocks());

  it.each((golden.cases as Case[]).map((c) => [label(c), c] as const))('%s', (_, c) => {
    const xs = c.inputs.map((name) => inputs[name]);
    const args = c.args.map(arg);
    expectClose(F[camel(c.fn)](...xs, ...args), c.out, 1e-5, 1e-6, `F.${camel(c.fn)}`);
    if (c.module) {
      const module = new modules[c.module](...args);
      expect(module.reduction).toBe(c.module_reduction);
      expectClose(module(...xs), c.module_out!, 1e-5, 1e-6, `nn.${c.module}`);
    }
  });

  it("warns as PyTorch's _Reduction.legacy_get_string does", () => {
    const expected = new Set((golden.cases as Case[]).flatMap((c) => c.warnings));
    expect(expected.size).toBe(3);
    for (const message of expected) expect(warned).toContain(`UserWarning: ${message}`);
  });
});

describe("PyTorch's TypeErrors for a bad call", () => {
  it.each((golden.errors as ErrorCase[]).map((c) => [label(c), c] as const))('%s', (_, c) => {
    const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), arg(v)]));
    const rest = [...c.args.map(arg), ...(Object.keys(options).length > 0 ? [options] : [])];
    const call = /^[A-Z]/.test(c.call) ? () => new modules[c.call](...rest) : () => F[camel(c.call)](...c.inputs.map((n) => inputs[n]), ...rest);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(c.message);
  });
});
