import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// torch.autograd.functional on the examples of PyTorch's documentation, against PyTorch 1.13
// (fixtures/gen_autograd_functional.py draws the same inputs from the same seed).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('autograd-functional', new URL('./fixtures/', import.meta.url));
const { vjp, jvp, jacobian, hessian, vhp, hvp } = torch.autograd.functional;
type Tensor = torch.Tensor;
interface Golden { shape: number[]; data: number[]; requires_grad: boolean }

function expectT(actual: unknown, expected: Golden, label = ''): void {
  const t = actual as Tensor;
  expect(t.shape, `${label} shape`).toEqual(expected.shape);
  expect(t.requiresGrad, `${label} requires_grad`).toBe(expected.requires_grad);
  const got = t.detach().reshape(-1).tolist() as number[];
  got.forEach((g, i) => expect(Math.abs(g - expected.data[i]), `${label}[${i}]: ${g} vs ${expected.data[i]}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(expected.data[i]))));
}

const exp_reducer = (x: Tensor): Tensor => x.exp().sum({ dim: 1 });
const adder = (x: Tensor, y: Tensor): Tensor => torch.mul(2, x).add(torch.mul(3, y));
const pow_reducer = (x: Tensor): Tensor => x.pow(3).sum();
const pow_adder_reducer = (x: Tensor, y: Tensor): Tensor => torch.mul(2, x.pow(2)).add(torch.mul(3, y.pow(2))).sum();

describe('torch.autograd.functional', () => {
  torch.manualSeed(0);
  const x = torch.rand(4, 4);
  const y = torch.rand(3);
  const inputs = [torch.rand(2), torch.rand(2)];

  it('vjp: vector-Jacobian products, with and without a graph', () => {
    let [o, r] = vjp(exp_reducer, x, torch.ones(4));
    expectT(o, golden.vjp[0], 'vjp out');
    expectT(r, golden.vjp[1], 'vjp');
    [o, r] = vjp(adder, inputs, torch.ones(2));
    expectT(o, golden.vjp_tuple[0], 'tuple out');
    (r as Tensor[]).forEach((t, i) => expectT(t, golden.vjp_tuple[1][i], `tuple ${i}`));
    [o, r] = vjp((a) => a.pow(2).sum(), y);
    expectT(o, golden.vjp_scalar[0]);
    expectT(r, golden.vjp_scalar[1]);
    [o, r] = vjp(exp_reducer, x, torch.ones(4), { createGraph: true });
    expectT(o, golden.vjp_graph[0], 'graph out');
    expectT(r, golden.vjp_graph[1], 'graph');
  });

  it('jvp: Jacobian-vector products by the double-backward trick', () => {
    let [o, r] = jvp(exp_reducer, torch.rand(4, 4), torch.ones(4, 4));
    expectT(o, golden.jvp[0]);
    expectT(r, golden.jvp[1]);
    [o, r] = jvp(adder, inputs, [torch.ones(2), torch.ones(2)]);
    expectT(o, golden.jvp_tuple[0]);
    expectT(r, golden.jvp_tuple[1]);
  });

  it('jacobian: one block per output and input', () => {
    const inp = torch.rand(2, 2);
    expect(inp.reshape(-1).tolist()).toEqual(golden.jacobian_input);
    expectT(jacobian(exp_reducer, inp), golden.jacobian, 'jacobian');
    expectT(jacobian(exp_reducer, inp, { createGraph: true }), golden.jacobian_graph, 'with graph');
    const j = jacobian((a, b) => torch.mul(2, a.exp()).add(torch.mul(3, b)), [torch.rand(2), torch.rand(2)]) as Tensor[];
    j.forEach((t, i) => expectT(t, golden.jacobian_tuple[i], `input ${i}`));
    const two = jacobian((a) => [a.sin(), a.sum()], torch.rand(3)) as Tensor[];
    two.forEach((t, i) => expectT(t, golden.jacobian_outputs[i], `output ${i}`));
    const unused = jacobian((a) => a.mul(2), [torch.rand(2), torch.rand(3)]) as Tensor[];
    unused.forEach((t, i) => expectT(t, golden.jacobian_unused[i], `unused ${i}`));
  });

  it('hessian, vhp and hvp', () => {
    const hin = torch.rand(2, 2);
    expect(hin.reshape(-1).tolist()).toEqual(golden.hessian_input);
    expectT(hessian(pow_reducer, hin), golden.hessian, 'hessian');
    const h = hessian(pow_adder_reducer, [torch.rand(2), torch.rand(2)]) as Tensor[][];
    h.forEach((row, i) => row.forEach((t, k) => expectT(t, golden.hessian_tuple[i][k], `hessian ${i}${k}`)));
    const f = (a: Tensor): Tensor => a.mul(a.sin()).sum();
    const [hx, hv] = [torch.rand(3), torch.rand(3)];
    expect([hx.tolist(), hv.tolist()]).toEqual([golden.hx, golden.hv]);
    let [o, r] = vhp(f, hx, hv);
    expectT(o, golden.vhp[0], 'vhp out');
    expectT(r, golden.vhp[1], 'vhp');
    [o, r] = hvp(f, hx, hv);
    expectT(o, golden.hvp[0], 'hvp out');
    expectT(r, golden.hvp[1], 'hvp');
    [o, r] = vhp(pow_adder_reducer, [torch.ones(2), torch.ones(2)], [torch.ones(2), torch.ones(2)]);
    expectT(o, golden.vhp_tuple[0]);
    (r as Tensor[]).forEach((t, i) => expectT(t, golden.vhp_tuple[1][i], `vhp tuple ${i}`));
  });

  it("raises PyTorch's errors", () => {
    const e = golden.errors;
    expect(() => vjp(exp_reducer, x, torch.ones(3))).toThrow(e.v_size);
    expect(() => jvp(adder, inputs, [torch.ones(2)])).toThrow(e.v_length);
    expect(() => jvp(adder, inputs, [torch.ones(2), torch.ones(3)])).toThrow(e.v_entry);
    expect(() => vjp(exp_reducer, x)).toThrow(e.v_none_vjp);
    expect(() => jvp(exp_reducer, x)).toThrow(e.v_none_jvp);
    expect(() => hessian(exp_reducer, x)).toThrow(e.hessian_single);
  });
});
