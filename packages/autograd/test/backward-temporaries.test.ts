import { describe, expect, it } from 'vitest';
import { Function, grad, type FunctionCtx } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';

/**
 * The CPU backend posing as one that is not garbage collected (a GPU), counting what is freed: backward frees the
 * gradients it made along the way, and must never free what it hands out or what user code saw.
 */
let freed = 0;
const cpu = torch.cpu.backend;
const DEVICE = torch.registerBackend(
  Object.create(cpu, {
    name: { value: 'nogc' },
    gcManaged: { value: false },
    free: { value: (buffer: unknown) => void (freed++, cpu.free(buffer)) },
  }) as typeof cpu,
);

/** A two-layer net's loss on `device`, from fixed data (the same numbers on both devices). */
function model(device: torch.Device | 'cpu') {
  torch.manualSeed(3);
  const w1 = torch.randn([4, 5]).to(device).requiresGrad_();
  const w2 = torch.randn([3, 4]).to(device).requiresGrad_();
  const x = torch.randn([6, 5]).to(device);
  const loss = () => x.matmul(w1.t()).relu().matmul(w2.t()).tanh().pow(2).mean();
  return { w1, w2, x, loss };
}

const values = (t: Tensor | null | undefined) => (t ? (t.to('cpu').flatten().tolist() as number[]) : null);

class StoresItsGradient extends Function {
  static seen: Tensor[] = [];
  static forward(ctx: FunctionCtx, a: Tensor) {
    return a.mul(2);
  }
  static backward(ctx: FunctionCtx, g: Tensor) {
    StoresItsGradient.seen.push(g);
    return g.mul(2);
  }
}

describe('backward frees its temporaries on a backend that is not garbage collected', () => {
  it('frees the gradients it made, keeps .grad, and gives the CPU numbers', () => {
    const ref = model('cpu');
    ref.loss().backward();
    const m = model(DEVICE);
    const before = freed;
    m.loss().backward();
    expect(freed - before).toBeGreaterThan(5);
    expect(values(m.w1.grad)).toEqual(values(ref.w1.grad));
    expect(values(m.w2.grad)).toEqual(values(ref.w2.grad));
    // A second backward accumulates into the kept gradients.
    m.loss().backward();
    expect(values(m.w1.grad)).toEqual(values(ref.w1.grad)!.map((v) => Math.fround(v + v)));
  });

  it('keeps what hooks, retainGrad and custom Functions saw, and what autograd.grad returns', () => {
    const m = model(DEVICE);
    const hooked: Tensor[] = [];
    const h = m.x.matmul(m.w1.t());
    h.retainGrad();
    h.registerHook((g) => void hooked.push(g));
    m.w2.registerHook((g) => void hooked.push(g));
    StoresItsGradient.seen = [];
    const out = StoresItsGradient.apply(h.relu().matmul(m.w2.t())) as Tensor;
    const loss = out.sum();
    const [gw1] = grad(loss, m.w1, { retainGraph: true });
    loss.backward();
    for (const t of [...hooked, ...StoresItsGradient.seen, gw1!, h.grad!, m.w1.grad!, m.w2.grad!]) {
      expect(t.isDisposed).toBe(false);
      expect(values(t)!.every(Number.isFinite)).toBe(true);
    }
    expect(values(gw1)).toEqual(values(m.w1.grad));
  });

  it('leaves everything to the collector with createGraph (the gradients are part of a graph)', () => {
    const m = model(DEVICE);
    const [g] = grad(m.loss(), m.w1, { createGraph: true });
    const before = freed;
    g!.sum().backward();
    expect(freed).toBeGreaterThan(before); // the second, plain backward frees its own temporaries
    expect(values(m.w1.grad)!.every(Number.isFinite)).toBe(true);
    expect(g!.isDisposed).toBe(false);
  });

  it('hands what survives to an enclosing scope, which disposes it', () => {
    const m = model(DEVICE);
    const kept = torch.scope(() => {
      const [g] = grad(m.loss(), m.w1);
      return g!.sum();
    });
    expect(Number.isFinite(kept.item())).toBe(true);
    expect(m.w1.grad).toBeNull();
  });
});
