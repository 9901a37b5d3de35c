// The LSTM and GRU layers on WebGPU run PyTorch's fused cells (one kernel forward, one backward per step): their
// outputs, states and gradients against real PyTorch 1.13 (the goldens the nn package pins its CPU layers to,
// tooling/fixtures/gen_nn_rnn.py), and the kernels a training step takes.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-rnn', new URL('../../nn/test/fixtures/', import.meta.url));

interface FixtureTensor {
  shape: number[];
  data: number[];
}
type FixtureState = FixtureTensor | FixtureTensor[];
interface Case {
  module: 'LSTM' | 'GRU' | 'LSTMCell' | 'GRUCell' | 'RNN' | 'RNNCell';
  args: Record<string, unknown>;
  training: boolean;
  params: [string, FixtureTensor][];
  input: FixtureTensor;
  hx: FixtureState | null;
  output: FixtureTensor | null;
  state: FixtureState;
  upstream: { output: FixtureTensor | null; state: FixtureState };
  grads: { input: FixtureTensor; hx: FixtureState | null; params: Record<string, FixtureTensor> };
}

const FUSED = new Set(['LSTM', 'GRU', 'LSTMCell', 'GRUCell']);
const asList = <T>(state: T | T[]): T[] => (Array.isArray(state) ? state : [state]);
const onGpu = (t: FixtureTensor, requiresGrad = false) => torch.tensor(t.data).reshape(t.shape).to('webgpu').requiresGrad_(requiresGrad);

function build(c: Case): torch.nn.Module {
  const { input_size: inputSize, hidden_size: hiddenSize, ...rest } = c.args;
  const options = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), v]));
  const Constructor = torch.nn[c.module];
  return new Constructor(inputSize as number, hiddenSize as number, options as never);
}

async function expectGolden(actual: Tensor, expected: FixtureTensor, label: string): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const values = (await actual.dataAsync()) as Float32Array;
  expected.data.forEach((e, i) => expect(Math.abs(values[i] - e), `${label} element ${i}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(e)));
}

describe.runIf(available)('fused recurrent cells on WebGPU', () => {
  const cases = (golden.cases as Case[]).filter((c) => FUSED.has(c.module) && !c.training);

  it('match PyTorch 1.13 on every LSTM and GRU golden: forward, states and gradients', { timeout: 120_000 }, async () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const [k, c] of cases.entries()) {
      const label = `case ${k} ${c.module} ${JSON.stringify(c.args)}`;
      const m = build(c).eval();
      torch.noGrad(() => c.params.forEach(([name, t]) => m.getParameter(name).copy_(torch.tensor(t.data).reshape(t.shape))));
      m.to('webgpu');
      const x = onGpu(c.input, true);
      const hx = c.hx ? asList(c.hx).map((t) => onGpu(t, true)) : null;
      const lstm = c.module.startsWith('LSTM');
      const result = (m as (x: Tensor, h: unknown) => unknown)(x, hx && (lstm ? hx : hx[0]));
      const cell = c.module.endsWith('Cell');
      const output = cell ? null : (result as [Tensor, unknown])[0];
      const state = asList((cell ? result : (result as [Tensor, Tensor | Tensor[]])[1]) as Tensor | Tensor[]);
      const upstream = asList(c.upstream.state);
      let total = state.map((s, i) => s.mul(onGpu(upstream[i])).sum()).reduce((a, b) => a.add(b));
      if (output) total = total.add(output.mul(onGpu(c.upstream.output!)).sum());
      total.backward();
      if (output) await expectGolden(output, c.output!, `${label} output`);
      for (const [i, e] of asList(c.state).entries()) await expectGolden(state[i], e, `${label} state ${i}`);
      await expectGolden(x.grad!, c.grads.input, `${label} grad of input`);
      if (hx) for (const [i, g] of asList(c.grads.hx!).entries()) await expectGolden(hx[i].grad!, g, `${label} grad of hx ${i}`);
      for (const [name, p] of m.namedParameters()) await expectGolden(p.grad!, c.grads.params[name], `${label} grad of ${name}`);
    }
  });

  /** Dispatches of one training step (forward, the sum of every output, backward) once gradients exist. */
  async function stepDispatches(module: torch.nn.Module, input: Tensor): Promise<number> {
    const step = () =>
      torch.scope(() => {
        const out = (module as (x: Tensor) => unknown)(input);
        const tensors = (Array.isArray(out) ? out.flat(2) : [out]) as Tensor[];
        tensors.map((t) => t.sum()).reduce((a, b) => a.add(b)).backward();
      });
    step(); // the first step makes .grad; later ones add into it
    await torch.webgpu.synchronize();
    const before = torch.webgpu.memoryStats().dispatches;
    step();
    await torch.webgpu.synchronize();
    return torch.webgpu.memoryStats().dispatches - before;
  }

  // Input 16, hidden 32, batch 8. Composed from elementwise ops, the steps took 29, 31 and 129 dispatches. The LSTM
  // took 60 while each step selected its input gates (a zero fill and a copy per step, then adds, joined their
  // gradients); one unbind joins them with one stack, a copy per step.
  it.each([
    ['LSTMCell', () => new torch.nn.LSTMCell(16, 32), [8, 16], 16],
    ['GRUCell', () => new torch.nn.GRUCell(16, 32), [8, 16], 13],
    ['LSTM over 5 steps', () => new torch.nn.LSTM(16, 32), [5, 8, 16], 54],
  ] as const)('a %s training step takes at most its dispatches', async (_, make, shape, most) => {
    torch.manualSeed(0);
    const module = make().to('webgpu');
    expect(await stepDispatches(module, torch.randn([...shape]).to('webgpu'))).toBeLessThanOrEqual(most);
  });
});
