import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// The PyTorch "Pruning Tutorial" translated line by line, every printed line compared with what PyTorch 1.13
// prints: fixtures/gen_tutorial_pruning.py runs the original (seeded with 42, plus a forward pass on random input
// after each part). CPython's object addresses are blanked on both sides.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-pruning', new URL('./fixtures/', import.meta.url));

const { nn } = torch;
const F = nn.functional;
const prune = nn.utils.prune;
type Tensor = torch.Tensor;

/** Python's `str()` of what the tutorial prints: lists, tuples, strings, OrderedDicts, dict keys. */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Map) return `OrderedDict([${[...value].map(([k, v]) => `(${pyStr(k)}, ${pyStr(v)})`).join(', ')}])`;
  if (Array.isArray(value)) return `[${value.map(pyStr).join(', ')}]`;
  return String(value);
}
const pyTuple = (...items: unknown[]): string => `(${items.map(pyStr).join(', ')})`;
/** Python's `list(module.named_parameters())`: a list of (name, tensor) tuples. */
const namedList = (pairs: [string, Tensor][]): string => `[${pairs.map(([n, t]) => pyTuple(n, t)).join(', ')}]`;

/** Python's `'{:.2f}'.format(x)`: correctly rounded, ties (exact in binary) to even where toFixed goes up. */
function format2f(x: number): string {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && (floor + 0.5) / 100 === x) return ((floor % 2 === 0 ? floor : floor + 1) / 100).toFixed(2);
  return x.toFixed(2);
}

const blankAddresses = (s: string): string => s.replace(/ object at 0x[0-9a-f]+>/g, ' object at 0x?>');

class LeNet extends nn.Module {
  // 1 input image channel, 6 output channels, 3x3 square conv kernel
  conv1 = new nn.Conv2d(1, 6, 3);
  conv2 = new nn.Conv2d(6, 16, 3);
  fc1 = new nn.Linear(16 * 5 * 5, 120); // 5x5 image dimension
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  override forward(input: Tensor): Tensor {
    let x = F.maxPool2d(F.relu(this.conv1(input)), [2, 2]);
    x = F.maxPool2d(F.relu(this.conv2(x)), 2);
    x = x.view(-1, Math.trunc(x.nelement() / x.shape[0]));
    x = F.relu(this.fc1(x));
    x = F.relu(this.fc2(x));
    x = this.fc3(x);
    return x;
  }
}

/** Prune every other entry in a tensor. */
class FooBarPruningMethod extends prune.BasePruningMethod {
  static override readonly PRUNING_TYPE = 'unstructured';

  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    const mask = defaultMask.clone();
    mask.view(-1).indexPut_(['::2'], 0);
    return mask;
  }
}

/** Prunes every other entry of `module[name]` (the tutorial's `foobar_unstructured`). */
function foobarUnstructured<M extends torch.nn.Module>(module: M, name: string): M {
  FooBarPruningMethod.apply(module, name);
  return module;
}

type Pruned = Record<string, Tensor>;
const own = (m: torch.nn.Module): Pruned => m as unknown as Pruned;

describe('the Pruning Tutorial, translated', () => {
  it('prints what PyTorch 1.13 prints', { timeout: 120_000 }, () => {
    const printed: string[] = [];
    const print = (...args: unknown[]): void => void printed.push(args.map((a) => (typeof a === 'string' ? a : pyStr(a))).join(' '));
    // The hook ids count up from wherever this process's handles are: they are printed from 0, as in a fresh Python.
    const firstHandle = new torch.RemovableHandle(new Map()).id + 1;
    const hooks = (m: torch.nn.Module) => new Map([...m._forwardPreHooks].map(([k, h]) => [k - firstHandle, h]));
    const forwardOnRandomInput = (m: torch.nn.Module) => print(m(torch.randn([2, 1, 28, 28])));

    torch.manualSeed(42);
    let model = new LeNet();

    // Inspect a Module
    let module: torch.nn.Module = model.conv1;
    print(namedList(module.namedParameters()));
    print(namedList(module.namedBuffers()));

    // Pruning a Module
    prune.randomUnstructured(module, { name: 'weight', amount: 0.3 });
    print(namedList(module.namedParameters()));
    print(namedList(module.namedBuffers()));
    print(own(module).weight);
    print(hooks(module));

    prune.l1Unstructured(module, { name: 'bias', amount: 3 });
    print(namedList(module.namedParameters()));
    print(namedList(module.namedBuffers()));
    print(own(module).bias);
    print(hooks(module));

    // Iterative Pruning
    prune.lnStructured(module, { name: 'weight', amount: 0.5, n: 2, dim: 0 });
    print(own(module).weight);

    let hook: torch.nn.utils.prune.BasePruningMethod | undefined;
    for (const h of module._forwardPreHooks.values()) {
      hook = h as torch.nn.utils.prune.BasePruningMethod;
      if (hook._tensorName === 'weight') break; // select out the correct hook
    }
    print([...(hook as torch.nn.utils.prune.PruningContainer)]); // pruning history in the container

    // Serializing a pruned model
    print(`odict_keys(${pyStr(Object.keys(model.stateDict()))})`);
    forwardOnRandomInput(model);

    // Remove pruning re-parametrization
    print(namedList(module.namedParameters()));
    print(namedList(module.namedBuffers()));
    print(own(module).weight);

    prune.remove(module, 'weight');
    print(namedList(module.namedParameters()));
    print(namedList(module.namedBuffers()));
    forwardOnRandomInput(model);

    // Pruning multiple parameters in a model
    const newModel = new LeNet();
    for ([, module] of newModel.namedModules()) {
      // prune 20% of connections in all 2D-conv layers
      if (module instanceof torch.nn.Conv2d) prune.l1Unstructured(module, { name: 'weight', amount: 0.2 });
      // prune 40% of connections in all linear layers
      else if (module instanceof torch.nn.Linear) prune.l1Unstructured(module, { name: 'weight', amount: 0.4 });
    }
    print(`dict_keys(${pyStr(newModel.namedBuffers().map(([n]) => n))})`); // to verify that all masks exist
    forwardOnRandomInput(newModel);

    // Global pruning
    model = new LeNet();
    const parametersToPrune: [torch.nn.Module, string][] = [
      [model.conv1, 'weight'],
      [model.conv2, 'weight'],
      [model.fc1, 'weight'],
      [model.fc2, 'weight'],
      [model.fc3, 'weight'],
    ];
    prune.globalUnstructured(parametersToPrune, { pruningMethod: prune.L1Unstructured, amount: 0.2 });

    const zeros = (m: torch.nn.Module): number => Number(torch.sum(own(m).weight.eq(0)));
    const size = (m: torch.nn.Module): number => own(m).weight.nelement();
    for (const name of ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'] as const) {
      print(`Sparsity in ${name}.weight: ${format2f((100 * zeros(model[name])) / size(model[name]))}%`);
    }
    const layers = [model.conv1, model.conv2, model.fc1, model.fc2, model.fc3];
    const totalZeros = layers.reduce((s, m) => s + zeros(m), 0);
    const total = layers.reduce((s, m) => s + size(m), 0);
    print(`Global sparsity: ${format2f((100 * totalZeros) / total)}%`);
    forwardOnRandomInput(model);

    // Extending torch.nn.utils.prune with custom pruning functions
    model = new LeNet();
    foobarUnstructured(model.fc3, 'bias');
    print(own(model.fc3).bias_mask);
    forwardOnRandomInput(model);

    const expected = golden.printed as string[];
    expect(printed.length).toBe(expected.length);
    printed.forEach((line, i) => expect(blankAddresses(line), `printed line ${i}`).toBe(blankAddresses(expected[i])));
  });
});
