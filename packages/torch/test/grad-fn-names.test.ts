import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// What `print(x)` shows as grad_fn after reshape, flatten and nn.Linear on a 3-d batch (d2l prints NiN's flattened
// output and the transformer's position-wise FFN). Golden names from real PyTorch 1.13: fixtures/gen_grad_fn_names.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('grad-fn-names', new URL('./fixtures/', import.meta.url));

describe("grad_fn names of reshapes and batched linear layers, as PyTorch 1.13's", () => {
  it('names reshape, flatten and view as PyTorch does', () => {
    const a = torch.ones(2, 3, { requiresGrad: true });
    const names = {
      reshape: a.reshape(-1).gradFn!.name(),
      reshape_same_shape: a.reshape(2, 3).gradFn!.name(),
      reshape_after_transpose: a.t().reshape(-1).gradFn!.name(),
      reshape_after_transpose_next: a.t().reshape(-1).gradFn!.nextFunctions[0][0]!.name(),
      flatten: a.flatten().gradFn!.name(),
      view: a.view(-1).gradFn!.name(),
      nn_flatten: new torch.nn.Flatten()(torch.ones(2, 3, 4, { requiresGrad: true })).gradFn!.name(),
    };
    for (const [key, name] of Object.entries(names)) expect(name, key).toBe(golden.names[key]);
    expect(String(a.reshape(-1))).toBe('tensor([1., 1., 1., 1., 1., 1.], grad_fn=<ReshapeAliasBackward0>)');
  });

  it('runs nn.Linear on a contiguous 3-d batch as one addmm viewed back', () => {
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(4, 5);
    const x3 = torch.randn(2, 3, 4);
    const out = lin(x3);
    expect(out.gradFn!.name()).toBe(golden.names.linear_3d);
    expect(out.gradFn!.nextFunctions[0][0]!.name()).toBe(golden.names.linear_3d_next);
    expect(lin(torch.ones(2, 3, 2, 4)).gradFn!.name()).toBe(golden.names.linear_4d);
    (out.reshape(-1).tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.linear_3d[i], 5));
    out.sum().backward();
    (lin.weight.grad!.reshape(-1).tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(golden.weight_grad[i], 5));
  });
});
