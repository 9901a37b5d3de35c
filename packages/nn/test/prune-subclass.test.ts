import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { prune } from '../src/utils/index.js';
import { expectSnapshot, golden, load, type Layer } from './prune-golden.js';

// User subclasses of BasePruningMethod, as PyTorch 1.13 runs them in test/fixtures/gen_prune.py ("subclasses"): a
// structured method with a `dim` combined after an L1 pruning, one without `dim` (the container refuses it, having
// already dropped the hook, as PyTorch does), and an unstructured one given to globalUnstructured twice.
const sub = golden.subclasses;

/** Zeroes every other channel along `dim`. */
class EveryOtherChannel extends prune.BasePruningMethod {
  static override readonly PRUNING_TYPE = 'structured';
  dim: number;

  constructor(dim = 0) {
    super();
    this.dim = dim;
  }

  computeMask(t: torch.Tensor, defaultMask: torch.Tensor): torch.Tensor {
    const mask = defaultMask.clone();
    const idx: string[] = t.shape.map(() => ':');
    idx[this.dim] = '0::2';
    mask.indexPut_(idx, 0);
    return mask;
  }
}

class NoDim extends prune.BasePruningMethod {
  static override readonly PRUNING_TYPE = 'structured';

  computeMask(_t: torch.Tensor, defaultMask: torch.Tensor): torch.Tensor {
    return defaultMask;
  }
}

/** Zeroes the first half of the entries still unpruned. */
class FirstHalf extends prune.BasePruningMethod {
  static override readonly PRUNING_TYPE = 'unstructured';

  computeMask(t: torch.Tensor, defaultMask: torch.Tensor): torch.Tensor {
    const mask = defaultMask.clone();
    mask.view(-1).indexPut_([`:${Math.trunc(t.numel() / 2)}`], 0);
    return mask;
  }
}

const blankAddress = (s: string): string => s.replace(/ at 0x[0-9a-f]+/g, ' at 0x?');

describe('BasePruningMethod subclasses against PyTorch 1.13', () => {
  it('combines a structured subclass after L1 pruning, and refuses one without dim', () => {
    const conv = new nn.Conv2d(3, 4, 2) as Layer;
    load(conv, sub.init);
    prune.l1Unstructured(conv, 'weight', 0.25);
    EveryOtherChannel.apply(conv, 'weight', 1);
    expectSnapshot(conv, sub.afterStructured, 'after EveryOtherChannel');
    const container = [...conv._forwardPreHooks.values()][0] as prune.PruningContainer;
    expect(blankAddress(String(container.at(-1)))).toBe(blankAddress(sub.repr));

    expect(() => NoDim.apply(conv, 'weight')).toThrow(sub.noDim.message);
    expect(conv._forwardPreHooks.size).toBe(sub.afterError.hooks.length);
    expect(conv.namedParameters().map(([n]) => n)).toEqual(sub.afterError.params);
  });

  it('prunes globally with an unstructured subclass, twice', () => {
    const lin = new nn.Linear(5, 4) as Layer;
    const conv = new nn.Conv2d(3, 4, 2) as Layer;
    load(lin, sub.globalInit.lin);
    load(conv, sub.globalInit.conv);
    const params: [nn.Module, string][] = [[lin, 'weight'], [conv, 'bias'], [conv, 'weight']];
    prune.globalUnstructured(params, FirstHalf);
    expectSnapshot(lin, sub.globalOnce.lin, 'linear, once');
    expectSnapshot(conv, sub.globalOnce.conv, 'conv, once');
    prune.globalUnstructured(params, FirstHalf);
    expectSnapshot(lin, sub.globalTwice.lin, 'linear, twice');
    expectSnapshot(conv, sub.globalTwice.conv, 'conv, twice');
  });
});
