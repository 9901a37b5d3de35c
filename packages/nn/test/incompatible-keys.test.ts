import { describe, expect, it } from 'vitest';
import { ones } from '@descent/tensor';
import { Linear, ReLU, Sequential } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `model.load_state_dict(...)` returns `_IncompatibleKeys`, which prints `<All keys matched successfully>` when
// nothing was skipped (d2l's File I/O shows it); fixtures/gen_incompatible_keys.py records PyTorch 1.13's reprs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('incompatible-keys', new URL('./fixtures/', import.meta.url));

describe('loadStateDict result', () => {
  it("prints as PyTorch's _IncompatibleKeys", () => {
    const net = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    const state = net.stateDict();
    expect(String(net.loadStateDict(state))).toBe(golden.matched);
    const partial = { '0.weight': state['0.weight'], 'extra.bias': ones(1), more: ones(1) };
    const result = net.loadStateDict(partial, { strict: false });
    expect(String(result)).toBe(golden.partial);
    expect([result.missingKeys, result.unexpectedKeys]).toEqual(golden.partial_lists);
  });
});
