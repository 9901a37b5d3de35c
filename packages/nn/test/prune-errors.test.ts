import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { prune } from '../src/utils/index.js';
import { loadFixture } from './fixtures.js';

// PyTorch 1.13's errors from torch.nn.utils.prune, written by test/fixtures/gen_prune.py into test/fixtures/prune.json.
// Python's ValueError and IndexError are RangeErrors here, its AttributeError and AssertionError plain Errors.
interface PyError {
  type: string;
  message: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('prune', new URL('./fixtures/', import.meta.url));
const errors = golden.errors as Record<string, PyError>;

const JS_ERROR: Record<string, string> = { ValueError: 'RangeError', IndexError: 'RangeError', TypeError: 'TypeError', AttributeError: 'Error', AssertionError: 'Error' };
/** CPython's addresses differ from run to run: both sides' `at 0x...` are blanked. */
const withoutAddress = (message: string): string => message.replace(/ at 0x[0-9a-f]+/g, ' at 0x?');

function linear(): nn.Linear {
  torch.manualSeed(0);
  return new nn.Linear(5, 4);
}

function prunedContainer(): prune.PruningContainer {
  const m = linear();
  prune.l1Unstructured(m, 'weight', 2);
  prune.l1Unstructured(m, 'weight', 2);
  return [...m._forwardPreHooks.values()][0] as prune.PruningContainer;
}

const CALLS: Record<string, () => unknown> = {
  'negative int amount': () => prune.randomUnstructured(linear(), 'weight', { amount: -1 }),
  'float amount above 1': () => prune.randomUnstructured(linear(), 'weight', { amount: 1.5 }),
  'negative float amount': () => prune.l1Unstructured(linear(), 'weight', { amount: -0.25 }),
  'nan amount': () => prune.randomUnstructured(linear(), 'weight', { amount: NaN }),
  'infinite amount': () => prune.randomUnstructured(linear(), 'weight', { amount: Infinity }),
  'missing bias': () => prune.l1Unstructured(new nn.Linear(2, 3, { bias: false }), 'bias', { amount: 1 }),
  'string amount': () => prune.l1Unstructured(linear(), 'weight', { amount: 'a' as unknown as number }),
  'amount above size': () => prune.l1Unstructured(linear(), 'bias', { amount: 10 }),
  'structured amount above channels': () => prune.lnStructured(linear(), 'weight', { amount: 6, n: 2, dim: 0 }),
  'unknown name': () => prune.randomUnstructured(linear(), 'weights', { amount: 0.2 }),
  'remove unpruned': () => prune.remove(linear(), 'weight'),
  'structured 1-d': () => prune.randomStructured(linear(), 'bias', { amount: 1, dim: 0 }),
  'structured dim past end': () => prune.lnStructured(linear(), 'weight', { amount: 1, n: 2, dim: 2 }),
  'importance scores shape': () => prune.l1Unstructured(linear(), 'weight', { amount: 1, importanceScores: torch.ones([4]) }),
  'global structured method': () => prune.globalUnstructured([[linear(), 'weight']], prune.RandomStructured, { amount: 0.2 }),
  'global scores not a dict': () =>
    prune.globalUnstructured([[linear(), 'weight']], prune.L1Unstructured, torch.ones([1]) as unknown as prune.GlobalImportanceScores, { amount: 1 }),
  'global parameters not iterable': () => prune.globalUnstructured(5 as unknown as [], prune.L1Unstructured, { amount: 1 }),
  'prune a buffer': () => prune.identity(new nn.BatchNorm1d(3), 'running_mean'),
  'container of another tensor': () => prunedContainer().addPruningMethod(prune.Identity.apply(linear(), 'bias')),
  'container of a non-method': () => prunedContainer().addPruningMethod(3 as unknown as prune.BasePruningMethod),
};

describe("nn.utils.prune's errors against PyTorch 1.13", () => {
  it('has a call for every recorded error', () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(errors).sort());
  });

  it.each(Object.entries(errors))('%s', (title, expected) => {
    let thrown: unknown = null;
    try {
      CALLS[title]();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, 'an error').toBeInstanceOf(Error);
    const error = thrown as Error;
    expect(withoutAddress(error.message)).toBe(withoutAddress(expected.message));
    expect(error.constructor.name).toBe(JS_ERROR[expected.type]);
  });

  it('puts the parameter back, last, when the mask cannot be computed', () => {
    const m = linear();
    expect(() => prune.l1Unstructured(m, 'weight', 30)).toThrow(golden.rollback.error.message);
    expect(m.namedParameters().map(([n]) => n)).toEqual(golden.rollback.params);
    expect(m._forwardPreHooks.size).toBe(golden.rollback.hooks.length);
  });

  it('lists an iterative pruning in its container', () => {
    const container = prunedContainer();
    expect(container.length).toBe(golden.container.length);
    expect([...container].map((h) => h.constructor.name)).toEqual(golden.container.types);
    expect(container.at(-1)).toBeInstanceOf(prune.L1Unstructured);
  });
});
