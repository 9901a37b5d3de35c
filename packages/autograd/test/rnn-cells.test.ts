// The fused recurrent cells (torch.lstmCell, torch.gruCell) against the same step composed from elementwise ops: on
// the CPU's kernels and on a backend without them (its composed fallback), forward, every gradient, one output used,
// the multi-output node's graph, and second derivatives.
import { describe, expect, it } from 'vitest';
import { grad } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Device, Tensor } from '@descent/tensor';

/** The CPU backend without the fused cells, so the tensor layer's composed fallback runs. */
const PLAIN: Device = torch.registerBackend(
  Object.create(torch.cpu.backend, {
    name: { value: 'plain-cells' },
    lstmCell: { value: undefined },
    lstmCellBackward: { value: undefined },
    gruCell: { value: undefined },
    gruCellBackward: { value: undefined },
  }) as typeof torch.cpu.backend,
);

const leaf = (t: Tensor, device: Device | 'cpu' = 'cpu') => t.detach().to(device).requiresGrad_(true);

/** nn's composed LSTM step (rnn-cells.ts before the fused op): the reference. */
function composedLstm(ig: Tensor, hg: Tensor, cx: Tensor): [Tensor, Tensor] {
  const h = cx.shape[1];
  const gates = hg.add(ig);
  const [i, f, g, o] = [0, 1, 2, 3].map((k) => gates.narrow(1, k * h, h));
  const cy = f.sigmoid().mul(cx).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cy.tanh()), cy];
}

function composedGru(ig: Tensor, hg: Tensor, hx: Tensor): Tensor {
  const h = hx.shape[1];
  const block = (t: Tensor, k: number) => t.narrow(1, k * h, h);
  const r = block(hg, 0).add(block(ig, 0)).sigmoid();
  const z = block(hg, 1).add(block(ig, 1)).sigmoid();
  const n = block(ig, 2).add(block(hg, 2).mul(r)).tanh();
  return hx.sub(n).mul(z).add(n);
}

/** |a - b| within 1e-6 of the largest |b| (gradients are sums of rounded products). */
function expectNear(a: Tensor, b: Tensor, what: string): void {
  expect(a.shape, what).toEqual(b.shape);
  const scale = b.abs().max().item() as number;
  expect(a.to('cpu').sub(b.to('cpu')).abs().max().item() as number, what).toBeLessThanOrEqual(1e-6 * Math.max(scale, 1));
  expect(scale, `${what} is not all zeros`).toBeGreaterThan(0);
}

type Use = 'both' | 'hy' | 'cy';
const USES: Use[] = ['both', 'hy', 'cy'];

/** A loss of the outputs used, weighted so every element's gradient differs. */
function lossOf(hy: Tensor, cy: Tensor, use: Use): Tensor {
  const w = torch.linspace(-1, 2, hy.numel()).reshape(hy.shape).to(hy.device);
  const onHy = hy.mul(w).sum();
  const onCy = cy.mul(w.flip(1)).sum();
  return use === 'both' ? onHy.add(onCy) : use === 'hy' ? onHy : onCy;
}

describe('torch.lstmCell', () => {
  torch.manualSeed(7);
  const [ig0, hg0, cx0] = [torch.randn(5, 24).mul(2), torch.randn(5, 24), torch.randn(5, 6)];

  for (const device of ['cpu', PLAIN] as const) {
    const where = device === 'cpu' ? 'the CPU kernels' : 'the composed fallback';
    it.each(USES)(`${where}: forward equals the composed step, gradients agree, using %s`, (use) => {
      const [ig, hg, cx] = [leaf(ig0, device), leaf(hg0, device), leaf(cx0, device)];
      const [hy, cy] = torch.lstmCell(ig, hg, cx);
      const [ig2, hg2, cx2] = [leaf(ig0), leaf(hg0), leaf(cx0)];
      const [hy2, cy2] = composedLstm(ig2, hg2, cx2);
      // Both round each step to float32 with the CPU's sigmoid and tanh.
      expect(torch.equal(hy.to('cpu'), hy2)).toBe(true);
      expect(torch.equal(cy.to('cpu'), cy2)).toBe(true);
      lossOf(hy, cy, use).backward();
      lossOf(hy2, cy2, use).backward();
      expectNear(ig.grad!, ig2.grad!, 'input gates');
      expectNear(hg.grad!, hg2.grad!, 'hidden gates');
      expectNear(cx.grad!, cx2.grad!, 'cx');
    });
  }

  it('is one node for both outputs, as PyTorch CUDA prints it', () => {
    const [ig, hg, cx] = [leaf(ig0), leaf(hg0), torch.ones(5, 6)];
    const [hy, cy] = torch.lstmCell(ig, hg, cx);
    expect(hy.gradFn!.name()).toBe('ThnnFusedLstmCellBackward0');
    expect(cy.gradFn!.name()).toBe('ThnnFusedLstmCellBackward0');
    expect(hy.gradFn!.nextFunctions.map(([node, k]) => [node?.name() ?? null, k])).toEqual([['AccumulateGrad', 0], ['AccumulateGrad', 0], [null, 0]]);
    // An edge to cy reads as the cell's node, output 1.
    const [node, output] = cy.mul(2).gradFn!.nextFunctions[0];
    expect([node?.name(), output]).toEqual(['ThnnFusedLstmCellBackward0', 1]);
    expect(torch.lstmCell(ig0, hg0, cx0)[0].requiresGrad).toBe(false);
  });

  it('backs up twice with retainGraph, runs hooks on each output, and autograd.grad reaches cx alone', () => {
    const [ig, hg, cx] = [leaf(ig0), leaf(hg0), leaf(cx0)];
    const [hy, cy] = torch.lstmCell(ig, hg, cx);
    const seen: (readonly number[])[] = [];
    hy.registerHook((g) => void seen.push(g.shape));
    const loss = lossOf(hy, cy, 'both');
    loss.backward(null, { retainGraph: true });
    const once = ig.grad!.clone();
    loss.backward();
    expectNear(ig.grad!, once.mul(2), 'accumulated twice');
    expect(seen).toEqual([[5, 6], [5, 6]]);
    const [hy2, cy2] = torch.lstmCell(ig, hg, cx);
    const [dcx] = grad(lossOf(hy2, cy2, 'cy'), [cx]);
    const cx2 = leaf(cx0);
    lossOf(...composedLstm(ig.detach(), hg.detach(), cx2), 'cy').backward();
    expectNear(dcx!, cx2.grad!, 'grad of cx alone');
  });

  it('has second derivatives (createGraph takes the composed rule)', () => {
    const [ig, hg, cx] = [leaf(ig0), leaf(hg0), leaf(cx0)];
    const [dIg, dCx] = grad(lossOf(...torch.lstmCell(ig, hg, cx), 'both'), [ig, cx], { createGraph: true });
    dIg!.pow(2).sum().add(dCx!.pow(2).sum()).backward();
    const [ig2, hg2, cx2] = [leaf(ig0), leaf(hg0), leaf(cx0)];
    const [e, f] = grad(lossOf(...composedLstm(ig2, hg2, cx2), 'both'), [ig2, cx2], { createGraph: true });
    e!.pow(2).sum().add(f!.pow(2).sum()).backward();
    expectNear(ig.grad!, ig2.grad!, 'second order, input gates');
    expectNear(hg.grad!, hg2.grad!, 'second order, hidden gates');
    expectNear(cx.grad!, cx2.grad!, 'second order, cx');
  });

  it('takes float64 through the composed fallback, and raises for gates of the wrong shape', () => {
    const [ig, hg, cx] = [leaf(ig0.double()), leaf(hg0.double()), leaf(cx0.double())];
    const [hy, cy] = torch.lstmCell(ig, hg, cx);
    const [ig2, hg2, cx2] = [leaf(ig0.double()), leaf(hg0.double()), leaf(cx0.double())];
    const [hy2, cy2] = composedLstm(ig2, hg2, cx2);
    expect(torch.equal(hy, hy2) && torch.equal(cy, cy2)).toBe(true);
    lossOf(hy, cy, 'both').backward();
    lossOf(hy2, cy2, 'both').backward();
    expectNear(ig.grad!, ig2.grad!, 'float64 input gates');
    expectNear(cx.grad!, cx2.grad!, 'float64 cx');
    expect(() => torch.lstmCell(ig0, hg0.narrow(1, 0, 20), cx0)).toThrow('lstmCell: expected input and hidden gates [B, 4H] and a state [B, H]');
  });
});

describe('torch.gruCell', () => {
  torch.manualSeed(8);
  const [ig0, hg0, hx0] = [torch.randn(4, 21).mul(2), torch.randn(4, 21), torch.randn(4, 7)];

  for (const device of ['cpu', PLAIN] as const) {
    it(`${device === 'cpu' ? 'the CPU kernels' : 'the composed fallback'}: forward equals the composed step, gradients agree`, () => {
      const [ig, hg, hx] = [leaf(ig0, device), leaf(hg0, device), leaf(hx0, device)];
      const hy = torch.gruCell(ig, hg, hx);
      const [ig2, hg2, hx2] = [leaf(ig0), leaf(hg0), leaf(hx0)];
      const hy2 = composedGru(ig2, hg2, hx2);
      expect(torch.equal(hy.to('cpu'), hy2)).toBe(true);
      expect(hy.gradFn!.name()).toBe('ThnnFusedGruCellBackward0');
      lossOf(hy, hy, 'hy').backward();
      lossOf(hy2, hy2, 'hy').backward();
      expectNear(ig.grad!, ig2.grad!, 'input gates');
      expectNear(hg.grad!, hg2.grad!, 'hidden gates');
      expectNear(hx.grad!, hx2.grad!, 'hx');
    });
  }

  it('has second derivatives', () => {
    const [ig, hg, hx] = [leaf(ig0), leaf(hg0), leaf(hx0)];
    const [dHg] = grad(torch.gruCell(ig, hg, hx).pow(2).sum(), [hg], { createGraph: true });
    dHg!.pow(2).sum().backward();
    const [ig2, hg2, hx2] = [leaf(ig0), leaf(hg0), leaf(hx0)];
    const [e] = grad(composedGru(ig2, hg2, hx2).pow(2).sum(), [hg2], { createGraph: true });
    e!.pow(2).sum().backward();
    expectNear(ig.grad!, ig2.grad!, 'second order, input gates');
    expectNear(hx.grad!, hx2.grad!, 'second order, hx');
  });
});
