import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { BUILD, Net } from './build-modules.js';
import { loadNnExtra } from './fixtures.js';

interface NamesCase {
  name: string;
  named_parameters: string[];
  named_buffers: string[];
  state_dict: string[];
  named_modules: string[];
}

function namesModule(name: string): nn.Module {
  if (name === 'shared') {
    const shared = new nn.Linear(2, 2);
    return new nn.Sequential(shared, new nn.ReLU(), shared);
  }
  if (name === 'cross_entropy_weight') return new nn.CrossEntropyLoss({ weight: torch.ones(3) });
  if (name === 'bce_with_logits_pos_weight') return new nn.BCEWithLogitsLoss({ posWeight: torch.ones(3) });
  return BUILD[name]();
}

describe('calling a module', () => {
  it('runs forward through call syntax, typed by forward', () => {
    torch.manualSeed(0);
    const linear = new nn.Linear(3, 2);
    const x = torch.randn(4, 3);
    const y: Tensor = linear(x);
    expect(typeof linear).toBe('function');
    expect(linear).toBeInstanceOf(nn.Linear);
    expect(linear).toBeInstanceOf(nn.Module);
    expect(y.tolist()).toEqual(linear.forward(x).tolist());
    const loss: Tensor = new nn.MSELoss()(y, torch.zeros(4, 2));
    expect(loss.shape).toEqual([]);
  });

  it('type-checks calls against forward', () => {
    const linear = new nn.Linear(3, 2);
    // @ts-expect-error Linear.forward takes a Tensor
    expect(() => linear('x')).toThrow();
    // @ts-expect-error a loss takes an input and a target
    expect(() => new nn.MSELoss()(torch.zeros(1))).toThrow();
  });

  it('runs the simple layers', () => {
    const x = torch.tensor([[-1, 2, 0.5], [3, -4, 1]]);
    expect(new nn.Identity(1, 'ignored')(x)).toBe(x);
    expect(new nn.Flatten(0)(x).shape).toEqual([6]);
    expect(new nn.Flatten()(torch.zeros(2, 3, 4)).shape).toEqual([2, 12]);
    expect(new nn.Softmax()(x).tolist()).toEqual(torch.softmax(x, 1).tolist());
    expect(new nn.LogSoftmax()(torch.zeros(3)).tolist()).toEqual(torch.logSoftmax(torch.zeros(3), 0).tolist());
    expect(new nn.Sigmoid()(x).tolist()).toEqual(x.sigmoid().tolist());
    expect(new nn.Tanh()(x).tolist()).toEqual(x.tanh().tolist());
    const y = x.clone();
    expect(new nn.ReLU(true)(y)).toBe(y);
    expect(y.tolist()).toEqual([[0, 2, 0.5], [3, 0, 1]]);
  });

  it('says so when forward is missing, as PyTorch does', () => {
    expect(() => new nn.ModuleList()(torch.zeros(1))).toThrow('Module [ModuleList] is missing the required "forward" function');
  });

  it('lets subclasses use the names a function object reserves', () => {
    class Named extends nn.Module {
      override name = 'encoder';
      size = 3;
      constructor() {
        super();
        Object.assign(this, { length: 7 });
      }
    }
    const m = new Named();
    expect([m.name, m.size, (m as unknown as { length: number }).length]).toEqual(['encoder', 3, 7]);
    expect(Object.keys(m)).toEqual(['name', 'size', 'length']);
  });
});

describe('discovery of parameters, buffers and submodules', () => {
  const cases: NamesCase[] = loadNnExtra().names;
  cases.forEach((c) => {
    it(`${c.name}: names and order match PyTorch`, () => {
      const m = namesModule(c.name);
      expect(m.namedParameters().map(([n]) => n)).toEqual(c.named_parameters);
      expect(m.namedBuffers().map(([n]) => n)).toEqual(c.named_buffers);
      expect(Object.keys(m.stateDict())).toEqual(c.state_dict);
      expect(m.namedModules().map(([n]) => n)).toEqual(c.named_modules);
    });
  });

  it('finds fields of a subclass without registration, in assignment order', () => {
    const net = new Net();
    expect(net.children()).toEqual([net.fc1, net.act, net.bn, net.head]);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'bn', 'head']);
    expect(net.parameters()).toEqual([net.fc1.weight, net.fc1.bias, net.bn.weight, net.bn.bias, net.head[0].parameters()[0], net.head[0].parameters()[1]]);
    expect(net.modules().length).toBe(7);
    expect(net.parameters(false)).toEqual([]);
    expect(net.fc1.namedParameters('fc1').map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias']);
  });

  it('ignores plain tensors and arrays, as PyTorch ignores non-Parameter attributes', () => {
    class Holder extends nn.Module {
      scale = torch.ones(2);
      layers = [new nn.Linear(1, 1)];
      w = new nn.Parameter(torch.zeros(2));
    }
    const h = new Holder();
    expect(h.namedParameters().map(([n]) => n)).toEqual(['w']);
    expect(Object.keys(h.stateDict())).toEqual(['w']);
  });

  it('registerParameter, registerBuffer and addModule define attributes and check names', () => {
    const m = new nn.Module();
    m.registerParameter('w', new nn.Parameter(torch.ones(2)));
    m.registerBuffer('stats', torch.zeros(2));
    m.registerBuffer('scratch', torch.zeros(1), { persistent: false });
    m.addModule('child', new nn.ReLU());
    m.registerParameter('unused', null);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['w']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['stats', 'scratch']);
    expect(Object.keys(m.stateDict())).toEqual(['w', 'stats']);
    expect(m.namedChildren().map(([n]) => n)).toEqual(['child']);
    expect(m.getSubmodule('child')).toBeInstanceOf(nn.ReLU);
    expect(() => m.registerParameter('a.b', null)).toThrow(`parameter name can't contain "."`);
    expect(() => m.registerBuffer('', null)).toThrow(`buffer name can't be empty string ""`);
    expect(() => m.addModule('x.y', new nn.ReLU())).toThrow(`module name can't contain ".", got: x.y`);
    expect(() => m.registerParameter('stats', null)).toThrow(`attribute 'stats' already exists`);
    expect(() => m.addModule('train', new nn.ReLU())).toThrow(`attribute 'train' already exists`);
    expect(() => m.registerParameter('t', torch.ones(1) as nn.Parameter)).toThrow(
      `cannot assign 'Tensor' object to parameter 't' (torch.nn.Parameter or None required)`,
    );
    expect(() => m.addModule('n', 3 as unknown as nn.Module)).toThrow('int is not a Module subclass');
  });

  it('getParameter and getSubmodule follow dotted paths', () => {
    const net = new Net();
    expect(net.getParameter('head.0.weight')).toBe(net.head[0].parameters()[0]);
    expect(() => net.getSubmodule('head.5')).toThrow('Sequential has no attribute `5`');
    expect(() => net.getSubmodule('fc1.weight')).toThrow('`weight` is not an nn.Module');
  });
});

describe('modes, apply, zeroGrad, requiresGrad_', () => {
  it('train() and eval() set every submodule', () => {
    const net = new Net();
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    expect(net.train()).toBe(net);
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(() => net.train('yes' as unknown as boolean)).toThrow('training mode is expected to be boolean');
  });

  it('apply() visits children before the parent', () => {
    const seen: string[] = [];
    new Net().apply((m) => seen.push(m._getName()));
    expect(seen).toEqual(['Linear', 'Tanh', 'BatchNorm1d', 'Linear', 'Sigmoid', 'Sequential', 'Net']);
  });

  it('zeroGrad zeroes gradients in place by default (PyTorch 1.13) or sets them to null', () => {
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Tanh());
    model(torch.randn(4, 3)).sum().backward();
    const grad = model[0].parameters()[0].grad!;
    expect(grad.abs().sum().item()).toBeGreaterThan(0);
    model.zeroGrad();
    expect(model[0].parameters()[0].grad).toBe(grad);
    expect(grad.abs().sum().item()).toBe(0);
    model.zeroGrad({ setToNone: true });
    expect(model.parameters().map((p) => p.grad)).toEqual([null, null]);
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const m = new nn.Linear(2, 2).requiresGrad_(false);
    expect(m.parameters().map((p) => p.requiresGrad)).toEqual([false, false]);
  });
});

describe('to(device)', () => {
  it('moves parameters in place, keeping their identity, and moves buffers and gradients', () => {
    const cpu = torch.cpu.backend;
    const fake = Object.assign(Object.create(cpu) as typeof cpu, { name: 'fakedev' });
    const device = torch.registerBackend(fake);
    torch.manualSeed(0);
    const net = new Net();
    const params = net.parameters();
    const before = params.map((p) => p.tolist());
    params[0].grad = torch.onesLike(params[0]);
    expect(net.to('fakedev')).toBe(net);
    expect(net.parameters()).toEqual(params);
    for (const p of params) expect(p.device).toBe(device);
    expect(params.map((p) => p.tolist())).toEqual(before);
    expect(params[0].grad!.device).toBe(device);
    expect(net.bn.runningMean!.device).toBe(device);
    expect(net.bn.numBatchesTracked!.device).toBe(device);
    net.cpu();
    expect(params[0].device).toBe(torch.cpu);
    expect(net.bn.runningVar!.device).toBe(torch.cpu);
  });
});

describe('containers', () => {
  it('Sequential is indexable, iterable and growable', () => {
    const a = new nn.Linear(2, 3);
    const b = new nn.ReLU();
    const c = new nn.Linear(3, 1);
    const seq = new nn.Sequential(a, b);
    expect(seq[0]).toBe(a);
    expect(seq.at(-1)).toBe(b);
    expect(seq.length).toBe(2);
    expect(seq.append(c)).toBe(seq);
    expect([...seq]).toEqual([a, b, c]);
    expect(seq(torch.ones(5, 2)).shape).toEqual([5, 1]);
    expect(() => seq.at(3)).toThrow('index 3 is out of range');
    const head = seq.slice(1);
    expect(head).toBeInstanceOf(nn.Sequential);
    expect(head.namedChildren().map(([n]) => n)).toEqual(['1', '2']);
    const d = new nn.Tanh();
    seq.insert(1, d);
    expect([...seq]).toEqual([a, d, b, c]);
    expect(seq.pop(1)).toBe(d);
    expect(seq.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    seq.set(-1, d);
    expect(seq[2]).toBe(d);
    seq.extend([new nn.Identity()]);
    expect(seq.length).toBe(4);
  });

  it('ModuleList registers its modules for parameters() without a forward', () => {
    class Stack extends nn.Module {
      layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
      override forward(x: Tensor): Tensor {
        for (const layer of this.layers) x = layer(x);
        return x;
      }
    }
    const s = new Stack();
    expect(s.namedParameters().map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
    expect(s(torch.ones(1, 2)).shape).toEqual([1, 2]);
    expect(s.layers.slice(0, 1).length).toBe(1);
  });

  it('ModuleDict keeps insertion order for any key', () => {
    const dict = new nn.ModuleDict({ b: new nn.ReLU() });
    dict.set('10', new nn.Linear(1, 1));
    dict.set('a', new nn.Tanh());
    dict.set('train', new nn.Identity());
    expect([...dict]).toEqual(['b', '10', 'a', 'train']);
    expect(dict.namedParameters().map(([n]) => n)).toEqual(['10.weight', '10.bias']);
    expect(dict.get('a')).toBeInstanceOf(nn.Tanh);
    expect(dict.has('x')).toBe(false);
    expect(dict.pop('b')).toBeInstanceOf(nn.ReLU);
    expect(dict.length).toBe(3);
    expect(() => dict.get('b')).toThrow(`ModuleDict has no key 'b'`);
  });
});
