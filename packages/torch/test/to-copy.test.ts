// Device and dtype moves are differentiable (ToCopyBackward0), against PyTorch 1.13 (fixtures/to-copy.json, written
// by fixtures/gen_to_copy.py). Runs on the CPU alone: two more devices are the CPU backend under other names, one of
// them without synchronous reads, as a GPU.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface Flags {
  grad_fn: string | null;
  is_leaf: boolean;
  requires_grad: boolean;
}
interface ValueCase {
  name: 'leaf' | 'non_leaf' | 'round_trip';
  x: FixtureTensor;
  w: FixtureTensor;
  loss: number;
  grad: FixtureTensor;
}

const fx = loadFixture('to-copy', new URL('./fixtures/', import.meta.url));
const semantics = fx.semantics as Record<string, Flags | boolean | FixtureTensor>;
const flagsOf = (key: string) => semantics[key] as Flags;
const valueCase = (name: ValueCase['name']) => (fx.values as ValueCase[]).find((c) => c.name === name) as ValueCase;

/** The CPU backend under another name: a second device whose reads are synchronous, or, without readSync, a GPU's. */
function fakeDevice(name: string, readSync: boolean): torch.Device {
  const backend = Object.create(torch.cpu.backend) as typeof torch.cpu.backend;
  return torch.registerBackend(Object.assign(backend, readSync ? { name } : { name, readSync: undefined }));
}
const HOST = fakeDevice('tohost', true);
const GPU = fakeDevice('tonosync', false);

const tensorOf = (t: FixtureTensor, options: { device?: torch.Device; requiresGrad?: boolean } = {}) =>
  torch.fromArray(Float32Array.from(t.data), t.shape, options);

function flags(t: torch.Tensor): Flags {
  return { grad_fn: t.gradFn?.name() ?? null, is_leaf: t.isLeaf, requires_grad: t.requiresGrad };
}

async function expectClose(actual: torch.Tensor, expected: FixtureTensor, device: torch.Device): Promise<void> {
  expect(actual.device).toBe(device);
  expect(actual.shape).toEqual(expected.shape);
  const got = Array.from((await actual.dataAsync()) as Float32Array);
  expected.data.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
}

describe('dtype moves', () => {
  const x = () => torch.tensor([[0.5, -1, 2], [1.5, 0.25, -3]], { requiresGrad: true });

  it('to the same device or dtype is the tensor itself, as in PyTorch', () => {
    const t = x();
    expect(t.to('cpu') === t).toBe(semantics.to_same_device_is_self);
    expect(t.cpu() === t).toBe(semantics.cpu_is_self);
    expect(t.to('float32') === t).toBe(semantics.to_float32_is_self);
    expect(t.float() === t).toBe(semantics.float_is_self);
  });

  it('to an integer or bool dtype leaves the graph; an integer tensor made float does not require grad', () => {
    expect(flags(x().int())).toEqual(flagsOf('int_of_float'));
    expect(flags(x().to('int32'))).toEqual(flagsOf('int_of_float'));
    expect(flags(x().bool())).toEqual(flagsOf('bool_of_float'));
    expect(flags(torch.tensor([1, 2, 3], { dtype: 'int32' }).float())).toEqual(flagsOf('float_of_int'));
  });

  it('names a dtype cast and a device move ToCopyBackward0, as PyTorch does', () => {
    expect(torch.GRAD_FN_NAMES.cast).toBe(flagsOf('dtype_cast').grad_fn);
    expect(torch.GRAD_FN_NAMES.toDevice).toBe(flagsOf('moved_leaf').grad_fn);
  });
});

describe('x.to(device) keeps the graph', () => {
  const x = () => torch.tensor([[0.5, -1, 2], [1.5, 0.25, -3]], { requiresGrad: true });

  it('a leaf that requires grad moves to a non-leaf whose gradient reaches the leaf; the copy has no .grad', () => {
    const leaf = x();
    const moved = leaf.to(HOST);
    expect(moved.device).toBe(HOST);
    expect(flags(moved)).toEqual(flagsOf('moved_leaf'));
    moved.sum().backward();
    expect(moved.grad === null).toBe(semantics.moved_grad_is_none);
    expect(leaf.grad?.device).toBe(torch.cpu);
    expect(leaf.grad?.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(Array.from((leaf.grad?.dataSync() as Float32Array | undefined) ?? [])).toEqual((semantics.source_grad as FixtureTensor).data);
  });

  it('a non-leaf, a tensor without grad, and a move under noGrad give PyTorch flags', () => {
    expect(flags(x().mul(2).to(HOST))).toEqual(flagsOf('moved_non_leaf'));
    expect(flags(x().detach().to(HOST))).toEqual(flagsOf('moved_no_requires_grad'));
    expect(flags(torch.noGrad(() => x().to(HOST)))).toEqual(flagsOf('moved_under_no_grad'));
  });

  it('gradients through a move of a leaf, of a non-leaf, and there and back', async () => {
    for (const name of ['leaf', 'non_leaf', 'round_trip'] as const) {
      const c = valueCase(name);
      const leaf = tensorOf(c.x, { requiresGrad: true });
      const w = tensorOf(c.w);
      const loss =
        name === 'leaf'
          ? leaf.to(HOST).sin().mul(w.to(HOST)).sum()
          : name === 'non_leaf'
            ? leaf.mul(3).add(1).to(HOST).tanh().mul(w.to(HOST)).sum()
            : leaf.to(HOST).pow(2).to('cpu').mul(w).sum();
      expect(loss.device).toBe(name === 'round_trip' ? torch.cpu : HOST);
      expect(loss.item()).toBeCloseTo(c.loss, 5);
      loss.backward();
      await expectClose(leaf.grad as torch.Tensor, c.grad, torch.cpu);
    }
  });

  it('higher-order gradients go through the move (createGraph)', () => {
    const c = fx.double_backward;
    const leaf = tensorOf(c.x, { requiresGrad: true });
    const [g] = torch.autograd.grad(leaf.to(HOST).pow(3).sum(), leaf, { createGraph: true });
    expect(g?.gradFn?.name()).toBe(c.grad_fn);
    expect(Array.from((g?.dataSync() as Float32Array | undefined) ?? [])).toEqual(c.grad.data);
    g?.sum().backward();
    expect(Array.from((leaf.grad?.dataSync() as Float32Array | undefined) ?? [])).toEqual(c.second.data);
  });
});

describe('moves to and from a device without synchronous reads (a GPU)', () => {
  it('GPU -> CPU with toAsync: the loss on the CPU gives the GPU leaf its gradient (the backward uploads)', async () => {
    for (const name of ['leaf', 'non_leaf'] as const) {
      const c = valueCase(name);
      const leaf = tensorOf(c.x, { device: GPU, requiresGrad: true });
      const moved = await (name === 'leaf' ? leaf : leaf.mul(3).add(1)).toAsync('cpu');
      expect(moved.gradFn?.name()).toBe('ToCopyBackward0');
      const loss = (name === 'leaf' ? moved.sin() : moved.tanh()).mul(tensorOf(c.w)).sum();
      expect(loss.item()).toBeCloseTo(c.loss, 5);
      loss.backward();
      await expectClose(leaf.grad as torch.Tensor, c.grad, GPU);
    }
  });

  it('toAsync records in the grad mode of the call, not of the moment its read resolves', async () => {
    const leaf = torch.ones(2, { device: GPU, requiresGrad: true });
    torch.setGradEnabled(false);
    let pending: Promise<torch.Tensor>;
    try {
      pending = leaf.toAsync('cpu');
    } finally {
      torch.setGradEnabled(true);
    }
    expect(flags(await pending)).toEqual(flagsOf('moved_under_no_grad'));
    expect(flags(await leaf.toAsync('cpu'))).toEqual(flagsOf('moved_leaf'));
  });

  it('CPU -> GPU keeps the graph, and backward says why it cannot bring the gradient back and what to do', () => {
    const c = valueCase('leaf');
    const leaf = tensorOf(c.x, { requiresGrad: true });
    const moved = leaf.to(GPU);
    expect(flags(moved)).toEqual(flagsOf('moved_leaf'));
    const loss = moved.sin().mul(tensorOf(c.w, { device: GPU })).sum();
    expect(loss.gradFn?.name()).toBe('SumBackward0');
    const message =
      "ToCopyBackward0: cannot copy the gradient back from 'tonosync' to 'cpu' during backward(): that needs a " +
      "synchronous read of 'tonosync' memory";
    expect(() => loss.backward()).toThrow(message);
    expect(() => torch.autograd.grad(leaf.to(GPU).sum(), leaf)).toThrow(message);
    expect(() => leaf.to(GPU).sum().backward()).toThrow(/create them there \(\{ device: 'tonosync', requiresGrad: true \}\)/);
    expect(() => leaf.to(GPU).sum().backward()).toThrow(/await grad\.toAsync\('cpu'\)/);
    expect(leaf.grad).toBeNull();
  });

  it('the ways out the error names work: a leaf made on the GPU, and a tensor moved before it requires grad', async () => {
    const c = valueCase('leaf');
    for (const leaf of [tensorOf(c.x, { device: GPU, requiresGrad: true }), tensorOf(c.x).to(GPU).requiresGrad_()]) {
      expect(leaf.isLeaf).toBe(true);
      leaf.sin().mul(tensorOf(c.w, { device: GPU })).sum().backward();
      await expectClose(await (leaf.grad as torch.Tensor).toAsync('cpu'), c.grad, torch.cpu);
    }
    const detached = tensorOf(c.x, { requiresGrad: true }).detach().to(GPU);
    expect(flags(detached)).toEqual(flagsOf('moved_no_requires_grad'));
  });
});

describe('module.to(device) with a transposed parameter', () => {
  const c = fx.linear_transposed;

  function build(): torch.nn.Linear {
    const lin = new torch.nn.Linear(3, 2);
    lin.weight = new torch.nn.Parameter(torch.arange(1, 7, { dtype: 'float32' }).reshape(3, 2).t());
    torch.noGrad(() => lin.bias?.copy_(tensorOf(c.bias)));
    expect(lin.weight.tolist()).toEqual(c.weight_list);
    return lin;
  }

  it('keeps the values, keeps parameters as leaves an optimizer built before holds, and trains there', async () => {
    const lin = build();
    const [weight, bias] = [lin.weight, lin.bias as torch.nn.Parameter];
    const opt = new torch.optim.SGD(lin.parameters(), { lr: c.sgd_lr });
    lin.to(HOST);
    expect([lin.weight, lin.bias]).toEqual([weight, bias]);
    expect(weight.device).toBe(HOST);
    expect(weight.tolist()).toEqual(c.weight_list);
    expect(flags(weight)).toEqual({ grad_fn: null, is_leaf: true, requires_grad: true });
    const out = lin(tensorOf(c.x, { device: HOST }));
    await expectClose(out, c.output, HOST);
    out.mul(tensorOf(c.upstream, { device: HOST })).sum().backward();
    await expectClose(weight.grad as torch.Tensor, c.weight_grad, HOST);
    await expectClose(bias.grad as torch.Tensor, c.bias_grad, HOST);
    opt.step();
    await expectClose(weight, c.weight_after_sgd, HOST);
    await expectClose(bias, c.bias_after_sgd, HOST);
    lin.cpu();
    await expectClose(weight, c.weight_after_sgd, torch.cpu);
  });

  it('to a GPU: the values read back asynchronously are PyTorch\'s, and so is the forward', async () => {
    const lin = build().to(GPU);
    expect(await lin.weight.tolistAsync()).toEqual(c.weight_list);
    expect((await lin.weight.toAsync('cpu')).tolist()).toEqual(c.weight_list);
    await expectClose(lin(tensorOf(c.x, { device: GPU })), c.output, GPU);
  });
});
