import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { Net } from './build-modules.js';
import { loadNnExtra } from './fixtures.js';

interface LoadCase {
  name: string;
  message?: string;
  missing_keys?: string[];
  unexpected_keys?: string[];
}

const z = (...shape: number[]) => torch.zeros(shape);

/** The same loads the generator attempts, built in Descent. */
const LOADS: Record<string, () => { module: nn.Module; state: Record<string, torch.Tensor>; strict?: boolean }> = {
  linear_all: () => ({ module: new nn.Linear(3, 2), state: { weight: z(3, 3), foo: z(1) } }),
  linear_missing: () => ({ module: new nn.Linear(3, 2), state: { weight: z(2, 3) } }),
  linear_unexpected: () => ({ module: new nn.Linear(3, 2), state: { weight: z(2, 3), bias: z(2), extra: z(1) } }),
  linear_shape_only: () => ({ module: new nn.Linear(3, 2), state: { weight: z(2, 3), bias: z(3) } }),
  linear_nonstrict: () => ({ module: new nn.Linear(3, 2), state: { weight: z(2, 3), extra: z(1) }, strict: false }),
  linear_nonstrict_shape: () => ({ module: new nn.Linear(3, 2), state: { weight: z(4, 3) }, strict: false }),
  sequential: () => ({
    module: new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3)),
    state: { '0.weight': z(8, 5), '0.bias': z(8), '1.weight': z(1), '2.weight': z(3, 8), '3.bias': z(3), '2.extra': z(1) },
  }),
  batch_norm_old_checkpoint: () => {
    const { num_batches_tracked: _dropped, ...state } = new nn.BatchNorm1d(3).stateDict();
    return { module: new nn.BatchNorm1d(3), state };
  },
  net_missing: () => ({ module: new Net(), state: { 'fc1.weight': z(3, 2) } }),
};

function snapshot(module: nn.Module): Record<string, unknown> {
  return Object.fromEntries(Object.entries(module.stateDict()).map(([k, v]) => [k, v.tolist()]));
}

describe('loadStateDict reports problems exactly as PyTorch (nn-extra.json)', () => {
  const cases: LoadCase[] = loadNnExtra().load_errors;
  cases.forEach((c) => {
    it(c.name, () => {
      const { module, state, strict } = LOADS[c.name]();
      const before = snapshot(module);
      if (c.message !== undefined) {
        expect(() => module.loadStateDict(state, { strict })).toThrow(c.message);
        try {
          module.loadStateDict(state, { strict });
        } catch (e) {
          expect((e as Error).message).toBe(c.message);
        }
        expect(snapshot(module), 'a failed load leaves the module unchanged').toEqual(before);
      } else {
        expect(module.loadStateDict(state, { strict })).toEqual({ missingKeys: c.missing_keys, unexpectedKeys: c.unexpected_keys });
      }
    });
  });
});

describe('stateDict and loadStateDict', () => {
  it('round-trips a model, copying values into the same Parameter objects', () => {
    torch.manualSeed(0);
    const source = new Net();
    torch.manualSeed(1);
    const target = new Net();
    const params = target.parameters();
    source.bn.runningMean!.fill_(0.5);
    source.bn.numBatchesTracked!.fill_(7);
    expect(target.loadStateDict(source.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(snapshot(target)).toEqual(snapshot(source));
    expect(target.parameters()).toEqual(params);
    expect(target.parameters().every((p) => p.requiresGrad && p.isLeaf)).toBe(true);
  });

  it('returns detached tensors sharing storage, or the parameters themselves with keepVars', () => {
    const m = new nn.Linear(2, 2);
    const sd = m.stateDict();
    expect(sd.weight.requiresGrad).toBe(false);
    expect(sd.weight).not.toBe(m.weight);
    torch.noGrad(() => m.weight.fill_(3));
    expect(sd.weight.sum().item()).toBe(12);
    expect(m.stateDict({ keepVars: true }).weight).toBe(m.weight);
    expect(Object.keys(m.stateDict({ prefix: 'enc.' }))).toEqual(['enc.weight', 'enc.bias']);
  });

  it('accepts a Map and converts dtypes like copy_', () => {
    const bn = new nn.BatchNorm1d(2);
    bn.loadStateDict(
      new Map([
        ['weight', torch.tensor([1, 2], { dtype: 'int32' })],
        ['bias', torch.zeros(2)],
        ['running_mean', torch.zeros(2)],
        ['running_var', torch.ones(2)],
        ['num_batches_tracked', torch.tensor(3, { dtype: 'float32' })],
      ]),
    );
    expect(bn.weight!.tolist()).toEqual([1, 2]);
    expect(bn.numBatchesTracked!.dtype).toBe('int64');
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it('rejects values that are not tensors, naming the key', () => {
    const m = new nn.Linear(1, 1);
    expect(() => m.loadStateDict({ weight: [[1]] as unknown as torch.Tensor, bias: torch.zeros(1) })).toThrow(
      'While copying the parameter named "weight", expected torch.Tensor or Tensor-like object from checkpoint but received list',
    );
    expect(() => m.loadStateDict(torch.zeros(1) as unknown as Record<string, torch.Tensor>)).toThrow('Expected state_dict to be dict-like');
  });
});
