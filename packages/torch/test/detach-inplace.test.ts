import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// `x.detach_()` cuts a tensor from the graph in place (d2l's train_epoch_ch8 detaches the carried RNN state between
// batches). fixtures/gen_detach_inplace.py records PyTorch 1.13's behaviour.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('detach-inplace', new URL('./fixtures/', import.meta.url));

describe('detach_', () => {
  it('makes a computed tensor a leaf that does not require grad, and returns it', () => {
    const w = torch.tensor([0.5, -1.0], { requiresGrad: true });
    const h = torch.tanh(w.mul(2));
    expect(String(h)).toBe(golden.before);
    expect(h.detach_() === h).toBe(golden.same);
    expect([String(h), h.requiresGrad, h.isLeaf, h.gradFn === null]).toEqual(golden.after);
    const leaf = torch.ones(2, { requiresGrad: true });
    leaf.detach_();
    expect([String(leaf), leaf.requiresGrad]).toEqual(golden.leaf);
  });

  it('truncates backpropagation through a carried state', () => {
    const w = torch.tensor([0.5, -1.0], { requiresGrad: true });
    let state = torch.zeros(2);
    for (let step = 0; step < 3; step++) {
      state = torch.tanh(state.mul(w).add(1.0));
      if (step === 1) state.detach_();
    }
    state.sum().backward();
    const got = w.grad!.tolist() as number[];
    got.forEach((g, i) => expect(g).toBeCloseTo(golden.grad[i], 6));
  });

  it("detaches an RNN's final state; views raise PyTorch's error", () => {
    torch.manualSeed(0);
    const gru = new torch.nn.GRU(2, 3);
    const [, hn] = gru(torch.randn(4, 1, 2));
    hn.detach_();
    expect([hn.requiresGrad, hn.isLeaf]).toEqual(golden.gru_state);
    expect(() => torch.zeros(3, { requiresGrad: true }).index('0:2').detach_()).toThrow(golden.view);
    expect(() => torch.zeros(3).index('1:').detach_()).toThrow(golden.plain_view);
  });
});
