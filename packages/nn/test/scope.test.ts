// Module state is kept: parameters and buffers stored in a module survive any enclosing torch.scope() (issue 13).
import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { Net } from './build-modules.js';
import { expectExact, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

interface InitCase {
  seed: number;
  module: string;
  in?: number;
  out?: number;
  state: Record<string, FixtureTensor>;
}

const initCases: InitCase[] = loadFixture('init').cases.filter((c: InitCase) => c.module !== 'Linear' || (c.in ?? 0) < 100);

function build(c: InitCase): nn.Module {
  return c.module === 'Linear' ? new nn.Linear(c.in ?? 0, c.out ?? 0) : new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
}

/** Every tensor a module holds. */
const stateOf = (m: nn.Module): Tensor[] => [...m.parameters(), ...m.buffers()];

describe('a module built inside a scope keeps its parameters and buffers', () => {
  for (const c of initCases) {
    const size = c.module === 'Linear' ? ` ${c.in}x${c.out}` : '';
    it(`${c.module}${size} seed ${c.seed}: PyTorch's initial values, in scope(fn) and in a using block`, () => {
      let fromScope: nn.Module | undefined;
      torch.manualSeed(c.seed);
      torch.scope(() => void (fromScope = build(c))); // built inside, not returned
      let fromUsing: nn.Module | undefined;
      torch.manualSeed(c.seed);
      {
        using _scope = torch.scope();
        fromUsing = build(c);
      }
      for (const m of [fromScope, fromUsing]) {
        if (!m) throw new Error('not built');
        expect(stateOf(m).filter((t) => t.isDisposed)).toEqual([]);
        for (const [name, t] of Object.entries(m.stateDict())) expectExact(t, c.state[name], name);
      }
    });
  }

  it('BatchNorm buffers too, and the module trains afterwards like one built outside', () => {
    torch.manualSeed(0);
    const outside = new Net();
    torch.manualSeed(0);
    let inside: Net | undefined;
    torch.scope(() => void (inside = new Net()));
    if (!inside) throw new Error('not built');
    expect(stateOf(inside).filter((t) => t.isDisposed)).toEqual([]);
    const x = torch.tensor([[0.5, -1], [2, 0.25], [-1.5, 1]]);
    for (const m of [outside, inside]) torch.scope(() => m(x).sum().backward());
    // tolist(): the state holds float32 parameters and the int64 numBatchesTracked.
    const values = (m: Net) => Object.values(m.stateDict()).map((t) => t.tolist());
    expect(values(inside)).toEqual(values(outside));
    expect(inside.bn.numBatchesTracked?.item()).toBe(1);
    expect(inside.parameters().map((p) => p.grad?.isDisposed)).toEqual(outside.parameters().map(() => false));
  });

  it('a Parameter keeps the storage it wraps, even a temporary made inside the scope', () => {
    let p: nn.Parameter | undefined;
    let temporary: Tensor | undefined;
    torch.scope(() => {
      p = new nn.Parameter(torch.tensor([1, 2, 3], { dtype: 'float32' }).mul(2), false);
      temporary = p.mul(2);
    });
    expect(temporary?.isDisposed).toBe(true);
    expect(p?.tolist()).toEqual([2, 4, 6]);
  });
});

class WithBuffer extends nn.Module {
  constructor() {
    super();
    this.registerBuffer('stat', null);
  }
}

describe('a registered buffer keeps every tensor stored in it', () => {
  it('at registration and on each later assignment inside a scope', () => {
    const m = new WithBuffer();
    const slot = m as unknown as Record<string, unknown>;
    torch.scope(() => {
      m.registerBuffer('extra', torch.ones(2).mul(3));
      slot.stat = torch.ones(2).mul(5);
    });
    expect(slot.stat instanceof torch.Tensor && slot.stat.tolist()).toEqual([5, 5]);
    expect(slot.extra instanceof torch.Tensor && slot.extra.tolist()).toEqual([3, 3]);
    expect(m.namedBuffers().map(([name]) => name)).toEqual(['stat', 'extra']);
    expect(Object.keys(m.stateDict())).toEqual(['stat', 'extra']);
    slot.stat = undefined;
    expect(slot.stat).toBeNull();
  });

  it("assigning a non-tensor throws PyTorch's error, and a parameter cannot take a buffer's name", () => {
    const m = new WithBuffer();
    const slot = m as unknown as Record<string, unknown>;
    expect(() => (slot.stat = 5)).toThrow(new TypeError("cannot assign 'int' as buffer 'stat' (torch.Tensor or None expected)"));
    slot.stat = torch.ones(1);
    expect(() => m.registerParameter('stat', new nn.Parameter(torch.ones(1)))).toThrow("attribute 'stat' already exists");
  });
});

describe('state that replaces module state inside a scope is kept', () => {
  it('module.to(device): moved parameters, gradients and buffers', () => {
    const cpu = torch.cpu.backend;
    const fake = Object.assign(Object.create(cpu) as typeof cpu, { name: 'scopedev' });
    torch.registerBackend(fake);
    try {
      torch.manualSeed(0);
      const net = new Net();
      const before = Object.values(net.stateDict()).map((t) => t.tolist());
      net.parameters()[0].grad = torch.onesLike(net.parameters()[0]);
      torch.scope(() => void net.to('scopedev'));
      const moved = [...stateOf(net), ...net.parameters().flatMap((p) => (p.grad ? [p.grad] : []))];
      expect(moved.map((t) => [t.device.type, t.isDisposed])).toEqual(moved.map(() => ['scopedev', false]));
      expect(Object.values(net.stateDict()).map((t) => t.tolist())).toEqual(before);
      torch.scope(() => void net.cpu());
      expect(Object.values(net.stateDict()).map((t) => t.tolist())).toEqual(before);
    } finally {
      torch.unregisterBackend('scopedev');
    }
  });

  it("loadStateDict from tensors made inside the scope: the module holds PyTorch's values afterwards", () => {
    const c = initCases.find((k) => k.module !== 'Linear');
    if (!c) throw new Error('missing case');
    const m = build(c);
    torch.scope(() => {
      const given = Object.fromEntries(Object.entries(c.state).map(([name, t]) => [name, fromFixture(t).mul(1)]));
      m.loadStateDict(given);
    });
    expect(stateOf(m).filter((t) => t.isDisposed)).toEqual([]);
    for (const [name, t] of Object.entries(m.stateDict())) expectExact(t, c.state[name], name);
  });
});

describe('window tables cached across calls survive the scope of the call that made them', () => {
  it('convolution and pooling run again after a scoped step (the index tables are cached per geometry)', () => {
    torch.manualSeed(0);
    const conv = new nn.Conv2d(1, 2, 3, { padding: 1 });
    const x = torch.randn([2, 1, 7, 9]);
    const step = () => torch.scope(() => nn.functional.maxPool2d(conv.forward(x), 2).sum());
    const first = step().item();
    expect(step().item()).toBe(first);
    const pooled = () => torch.scope(() => nn.functional.avgPool2d(x, 3, { stride: 2 }).sum());
    expect(pooled().item()).toBe(pooled().item());
  });
});
