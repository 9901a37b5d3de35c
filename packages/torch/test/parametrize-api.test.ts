import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor, type FixtureTensor } from './golden-check.js';

// torch.nn.utils.parametrize's names, keys, reprs, errors and a short SGD run, against fixtures/gen_parametrize.py
// run with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('parametrize', new URL('./fixtures/', import.meta.url));
const { api, training } = golden;

const nn = torch.nn;
const parametrize = torch.nn.utils.parametrize;
type List = torch.nn.utils.parametrize.ParametrizationList;

class Symmetric extends nn.Module {
  override forward(X: torch.Tensor): torch.Tensor {
    return X.triu().add(X.triu(1).transpose(-1, -2));
  }
}
class MatrixExponential extends nn.Module {
  override forward(X: torch.Tensor): torch.Tensor {
    return torch.matrixExp(X);
  }
}
/** Two originals: the weight is their sum. */
class Split extends nn.Module {
  override forward(X: torch.Tensor, Y: torch.Tensor): torch.Tensor {
    return X.add(Y);
  }
  rightInverse(Z: torch.Tensor): torch.Tensor[] {
    return [Z.triu(), Z.tril(-1)];
  }
}
class Shrink extends nn.Module {
  override forward(X: torch.Tensor): torch.Tensor {
    return X.slice(0, 0, -1);
  }
}
class Double extends nn.Module {
  override forward(X: torch.Tensor): torch.Tensor {
    return X.double();
  }
}
class Abs extends nn.Module {
  override forward(X: torch.Tensor): torch.Tensor {
    return X.abs();
  }
}
class WithBuffer extends nn.Module {
  declare scale: torch.Tensor;
  constructor() {
    super();
    this.registerBuffer('scale', torch.tensor([1.0, -2.0, 3.0], { dtype: 'float32' }));
  }
}

/** `f"{type(e).__name__}: {e}"` for the errors PyTorch raises as ValueError / RuntimeError. */
function errorOf(fn: () => unknown, pythonType: string): string {
  try {
    fn();
  } catch (e) {
    return `${pythonType}: ${(e as Error).message}`;
  }
  throw new Error('no error');
}
const names = (entries: [string, unknown][]) => entries.map(([n]) => n);
const check = (t: torch.Tensor, want: FixtureTensor, label: string) => expectTensor(t, want, label, false, 1e-5);

describe('torch.nn.utils.parametrize against PyTorch 1.13', () => {
  it('registers, reads, differentiates and removes a stack of parametrizations', () => {
    torch.manualSeed(1);
    const layer = new nn.Linear(3, 3);
    const weight = layer.weight;
    expect([parametrize.isParametrized(layer), parametrize.isParametrized(layer, 'weight')]).toEqual(api.isParametrizedBefore);
    parametrize.registerParametrization(layer, 'weight', new Symmetric());
    const p = parametrize.registerParametrization(layer, 'weight', new MatrixExponential());
    expect([parametrize.isParametrized(layer), parametrize.isParametrized(layer, 'weight'), parametrize.isParametrized(layer, 'bias')]).toEqual(
      api.isParametrizedAfter,
    );
    const list = p.parametrizations.get('weight') as List;
    expect(list.original === weight).toBe(api.sameOriginal);
    expect(layer.constructor.name).toBe(api.className);
    expect(layer).toBeInstanceOf(nn.Linear);
    expect(parametrize.typeBeforeParametrizations(layer).name).toBe(api.typeBefore);
    expect(parametrize.typeBeforeParametrizations(layer)).toBe(nn.Linear);
    expect(String(layer)).toBe(api.repr);
    expect(Object.keys(layer.stateDict())).toEqual(api.stateDictKeys);
    expect(names(layer.namedParameters())).toEqual(api.namedParameters);
    expect(names(layer.namedModules())).toEqual(api.namedModules);
    check(layer.weight, api.weight, 'weight');
    expect(layer.weight.gradFn?.name()).toBe(api.gradFn);
    layer.weight.sum().backward();
    check(list.original.grad as torch.Tensor, api.originalGrad, 'original.grad');
    expect(errorOf(() => (layer.weight = torch.eye(3)), 'RuntimeError')).toBe(api.assignNoInverse);

    parametrize.removeParametrizations(layer, 'weight');
    const removed = api.removed;
    expect(layer.constructor.name).toBe(removed.className);
    expect(Object.getPrototypeOf(layer)).toBe(nn.Linear.prototype);
    expect(String(layer)).toBe(removed.repr);
    expect(Object.keys(layer.stateDict())).toEqual(removed.keys);
    expect('parametrizations' in layer).toBe(removed.hasParametrizations);
    check(layer.weight, removed.weight, 'removed weight');
    expect(layer.weight === weight).toBe(removed.sameObject);
    expect(layer.weight instanceof nn.Parameter).toBe(removed.isParameter);
  });

  it('keeps several originals when rightInverse returns several tensors', () => {
    torch.manualSeed(3);
    const layer = new nn.Linear(3, 2);
    const w0 = layer.weight.detach().clone();
    const p = parametrize.registerParametrization(layer, 'weight', new Split());
    const split = api.split;
    const list = p.parametrizations.get('weight') as List & { original0: torch.Tensor; original1: torch.Tensor };
    check(w0, split.w0, 'w0');
    expect(Object.keys(layer.stateDict())).toEqual(split.keys);
    check(list.original0, split.original0, 'original0');
    check(list.original1, split.original1, 'original1');
    check(layer.weight, split.weight, 'weight');
    expect(String(layer)).toBe(split.repr);
    expect([list.original0.requiresGrad, list.original1.requiresGrad]).toEqual(split.requiresGrad);
    layer.weight = torch.arange(6).float().reshape(2, 3);
    check(list.original0, split.assigned[0], 'assigned original0');
    check(list.original1, split.assigned[1], 'assigned original1');
    expect(errorOf(() => parametrize.removeParametrizations(layer, 'weight', { leaveParametrized: false }), 'ValueError')).toBe(split.leaveFalse);
    parametrize.removeParametrizations(layer, 'weight');
    expect(Object.keys(layer.stateDict())).toEqual(split.removedKeys);
    check(layer.weight, split.removedWeight, 'removed weight');
  });

  it("raises PyTorch's errors, and skips the checks when unsafe", () => {
    const errors = api.errors;
    expect(errorOf(() => parametrize.registerParametrization(new nn.Linear(3, 3), 'weight', new Shrink()), 'ValueError')).toBe(errors.shape);
    expect(errorOf(() => parametrize.registerParametrization(new nn.Linear(3, 3), 'weight', new Double()), 'ValueError')).toBe(errors.dtype);
    expect(errorOf(() => parametrize.registerParametrization(new nn.Linear(3, 3), 'foo', new Symmetric()), 'ValueError')).toBe(errors.missing);
    expect(errorOf(() => parametrize.removeParametrizations(new nn.Linear(3, 3), 'weight'), 'ValueError')).toBe(errors.removeMissing);
    const stacked = parametrize.registerParametrization(new nn.Linear(3, 3), 'weight', new Symmetric());
    expect(errorOf(() => parametrize.registerParametrization(stacked, 'weight', new Shrink()), 'ValueError')).toBe(errors.stackedShape);

    // Python's str(KeyError) quotes the message.
    expect(`KeyError: "${errorOf(() => (stacked.weight = new nn.Parameter(torch.zeros(3, 3))), '').slice(2)}"`).toBe(errors.assignParameter);

    const layer = new nn.Linear(3, 3);
    const original = layer.weight.detach().clone();
    const unsafe = parametrize.registerParametrization(layer, 'weight', new Shrink(), { unsafe: true });
    expect(unsafe.weight.shape).toEqual(api.unsafe.weight.shape);
    expect((unsafe.parametrizations.get('weight') as List).unsafe).toBe(true);
    expect((unsafe.parametrizations.get('weight') as List).original.shape).toEqual(api.unsafe.original.shape);
    check(unsafe.weight, { ...api.unsafe.weight, data: original.slice(0, 0, -1).flatten().tolist() as number[] }, 'unsafe weight');
  });

  it('transfers parametrizations and their originals to another module', () => {
    torch.manualSeed(4);
    const source = parametrize.registerParametrization(new nn.Linear(3, 3), 'weight', new Symmetric());
    const sourceSplit = parametrize.registerParametrization(new nn.Linear(3, 2), 'weight', new Split());
    const target = new nn.Linear(3, 3);
    const transferred = parametrize.transferParametrizationsAndParams(source, target) as torch.nn.utils.parametrize.Parametrized<torch.nn.Linear>;
    const targetSplit = parametrize.transferParametrizationsAndParams(sourceSplit, new nn.Module(), 'weight') as torch.nn.utils.parametrize.Parametrized;
    const transfer = api.transfer;
    expect(String(target)).toBe(transfer.repr);
    expect(Object.keys(target.stateDict())).toEqual(transfer.keys);
    check(target.weight, transfer.weight, 'weight');
    const list = (m: torch.nn.utils.parametrize.Parametrized) => m.parametrizations.get('weight') as List & Record<string, torch.Tensor>;
    expect(list(transferred).original === list(source).original).toBe(transfer.sameOriginal);
    expect(list(transferred).at(0) === list(source).at(0)).toBe(transfer.sameModule);
    expect(String(targetSplit)).toBe(transfer.splitRepr);
    expect(Object.keys(targetSplit.stateDict())).toEqual(transfer.splitKeys);
    check((targetSplit as unknown as { weight: torch.Tensor }).weight, transfer.splitWeight, 'split weight');
    expect([list(targetSplit).original0 === list(sourceSplit).original0, list(targetSplit).original1 === list(sourceSplit).original1]).toEqual(transfer.splitSame);
  });

  it('lets rightInverse change the shape of the original', () => {
    /** The original is a vector: `rightInverse` changes its shape (PyTorch's `set_`). */
    class Diagonal extends nn.Module {
      override forward(v: torch.Tensor): torch.Tensor {
        return torch.diag(v);
      }
      rightInverse(W: torch.Tensor): torch.Tensor {
        return W.diagonal().clone();
      }
    }
    torch.manualSeed(5);
    const diagonal = new nn.Linear(3, 3);
    const weight = diagonal.weight;
    const list = parametrize.registerParametrization(diagonal, 'weight', new Diagonal()).parametrizations.get('weight') as List;
    diagonal.weight.sum().backward();
    const reshaped = api.reshaped;
    expect(list.original === weight).toBe(reshaped.sameOriginal);
    check(list.original, reshaped.original, 'original');
    check(diagonal.weight, reshaped.weight, 'weight');
    check(list.original.grad as torch.Tensor, reshaped.grad, 'original.grad');
    diagonal.weight = torch.eye(3).mul(7);
    check(list.original, reshaped.assigned, 'assigned');
    parametrize.removeParametrizations(diagonal, 'weight', { leaveParametrized: false });
    check(diagonal.weight, reshaped.removed, 'removed');
  });

  it('skips a rightInverse that throws NotImplementedError at registration, not on assignment', () => {
    class Twice extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        return X.mul(2);
      }
      rightInverse(_X: torch.Tensor): torch.Tensor {
        throw Object.assign(new Error('no inverse'), { name: 'NotImplementedError' });
      }
    }
    torch.manualSeed(6);
    const twice = new nn.Linear(2, 2);
    const initial = twice.weight.detach().clone();
    const list = parametrize.registerParametrization(twice, 'weight', new Twice()).parametrizations.get('weight') as List;
    const golden = api.notImplemented;
    check(initial, golden.initial, 'initial');
    check(list.original, golden.original, 'original');
    check(twice.weight, golden.weight, 'weight');
    expect(errorOf(() => (twice.weight = torch.zeros(2, 2)), 'NotImplementedError')).toBe(golden.assign);
  });

  it('parametrizes a buffer', () => {
    const module = parametrize.registerParametrization(new WithBuffer(), 'scale', new Abs());
    const buffer = api.buffer;
    expect(Object.keys(module.stateDict())).toEqual(buffer.keys);
    expect(names(module.namedBuffers())).toEqual(buffer.buffers);
    expect(names(module.namedParameters())).toEqual(buffer.params);
    check(module.scale, buffer.scale, 'scale');
    expect(String(module)).toBe(buffer.repr);
    parametrize.removeParametrizations(module, 'scale');
    const removed = buffer.removed;
    expect(Object.keys(module.stateDict())).toEqual(removed.keys);
    expect(names(module.namedBuffers())).toEqual(removed.buffers);
    check(module.scale, removed.scale, 'removed scale');
    expect(String(module)).toBe(removed.repr);
    expect(module.scale instanceof nn.Parameter).toBe(removed.isParameter);
  });

  it('caches inside cached(), as a callback or with using', () => {
    const layer = new nn.Linear(2, 2);
    parametrize.registerParametrization(layer, 'weight', new Symmetric());
    expect(layer.weight).not.toBe(layer.weight);
    parametrize.cached(() => expect(layer.weight).toBe(layer.weight));
    {
      using _scope = parametrize.cached();
      const first = layer.weight;
      parametrize.cached(() => expect(layer.weight).toBe(first)); // nested: the outer cache stays
      expect(layer.weight).toBe(first);
    }
    expect(layer.weight).not.toBe(layer.weight);
  });

  it("trains a parametrized Linear with SGD to PyTorch's losses and weights", { timeout: 120_000 }, () => {
    torch.manualSeed(2);
    const model = new nn.Linear(4, 4);
    parametrize.registerParametrization(model, 'weight', new Symmetric());
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.randn(16, 4);
    const y = torch.randn(16, 4);
    check(x, training.x, 'x');
    check(y, training.y, 'y');
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      optimizer.zeroGrad();
      const loss = nn.functional.mseLoss(model(x), y);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    losses.forEach((l, i) => expect(l).toBeCloseTo(training.losses[i], 5));
    check(model.weight, training.weight, 'weight');
    check(((model as torch.nn.utils.parametrize.Parametrized<typeof model>).parametrizations.get('weight') as List).original, training.original, 'original');
    check(model.bias as torch.Tensor, training.bias, 'bias');
    expect(names(model.namedParameters())).toEqual(training.params);
  });
});
