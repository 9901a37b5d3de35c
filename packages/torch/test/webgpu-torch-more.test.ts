// The composed functions of torch-more.test.ts (special functions, flips, sign steps, scatters, products, powers and
// log-determinants) with every tensor on WebGPU, against the same PyTorch 1.13 goldens (fixtures/gen_torch_more.py):
// composed ops, so this checks their GPU kernels compose alike. The host decompositions (svd, eigh) raise there.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { TORCH_MORE_CALLS as MORE_CALLS } from './torch-more-calls.js';
import { LINALG_CALLS } from './torch-more-linalg-calls.js';
import { expectCloseOnGpu, onGpu, type FixtureTensor } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

const webgpu = await initWebGPU();

const TORCH_MORE_CALLS = { ...MORE_CALLS, ...LINALG_CALLS };

interface Case {
  name: string;
  inputs: FixtureTensor[];
  output: FixtureTensor | FixtureTensor[];
  upstream: (FixtureTensor | null)[] | null;
  grads: (FixtureTensor | null)[] | null;
  requires_grad: boolean[];
}

// A GPU without float64 computes the special functions' series in float32: looser than the CPU's checks.
const CASES = [
  'lgamma', 'digamma', 'polygamma_1', 'polygamma_2', 'erfinv', 'ndtri', 'logit', 'logit_eps', 'xlog1py', 'special_xlogy',
  'flipud', 'fliplr', 'copysign', 'copysign_scalar', 'addr', 'addr_scaled', 'renorm', 'renorm_p1_dim1', 'combinations',
  'combinations_replacement', 'chain_matmul', 'matrix_power_3', 'matrix_power_inv', 'logdet', 'slogdet', 'linalg_cross',
  'linalg_solve_triangular', 'linalg_solve_triangular_right', 'linalg_cholesky_solve', 'floor', 'trunc_recorded',
  'tan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'asin', 'acos', 'i0', 'i1e', 'erfcx', 'log_ndtr', 'linalg_matrix_exp',
];

describe.runIf(webgpu)('more torch functions on WebGPU match PyTorch', { timeout: 120_000 }, () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const golden: any = webgpu ? loadFixture('torch-more', new URL('./fixtures/', import.meta.url)) : { cases: [] };
  const byName = new Map((golden.cases as Case[]).map((c) => [c.name, c]));

  it.each(CASES)('%s, forward and gradient', async (name) => {
    const c = byName.get(name)!;
    const inputs = c.inputs.map((t, i) => onGpu(t, c.requires_grad[i]));
    const result = TORCH_MORE_CALLS[name](...inputs);
    const outputs = result instanceof torch.Tensor ? [result] : [...(result as Iterable<torch.Tensor>)];
    const expected = Array.isArray(c.output) ? c.output : [c.output];
    for (const [i, o] of outputs.entries()) await expectCloseOnGpu(o, expected[i], 1e-4, 1e-4, `${name} output ${i}`);
    if (!c.grads || !c.upstream) return;
    const live = outputs.map((o, i) => [o, c.upstream![i]] as const).filter(([o, u]) => u !== null && o.requiresGrad);
    live.map(([o, u]) => o.mul(onGpu(u!)).sum()).reduce((a, b) => a.add(b)).backward();
    // An input the result does not depend on (copysign's sign source) gets no gradient: PyTorch's zeros.
    for (const [i, g] of c.grads.entries()) if (g) await expectCloseOnGpu(inputs[i].grad ?? torch.zerosLike(inputs[i]), g, 1e-3, 1e-3, `${name} grad ${i}`);
  });

  it('torch.asTensor moves to the device asked for, and returns a tensor already there as is', async () => {
    const cpu = torch.tensor([1.5, -2, 3]);
    const gpu = torch.asTensor(cpu, { device: 'webgpu' });
    expect(gpu.device.type).toBe('webgpu');
    expect(Array.from((await gpu.dataAsync()) as Float32Array)).toEqual([1.5, -2, 3]);
    expect(torch.asTensor(gpu, { device: 'webgpu' })).toBe(gpu);
    expect(torch.asTensor(gpu, { dtype: 'float32' })).toBe(gpu);
    const fromList = torch.asTensor([[1, 2]], { device: 'webgpu', dtype: 'float32' });
    expect([fromList.device.type, fromList.dtype, fromList.shape]).toEqual(['webgpu', 'float32', [1, 2]]);
  });

  it('the host decompositions name the fix: move the input to the CPU', () => {
    const a = torch.randn(3, 3).to('webgpu');
    expect(() => torch.linalg.svd(a)).toThrow(/^linalg\.svd: computed on the host, and '.*' tensors are read asynchronously: move the input to the CPU first/);
    expect(() => torch.linalg.eigh(a)).toThrow(/^linalg\.eigh: computed on the host/);
  });
});
