import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { expectClose, loadFixture } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_conv_padding_modes.py writes
// test/fixtures/nn-conv-padding-modes.json.
interface PaddingModeCase {
  mode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  dims: 1 | 2;
  kwargs: { in_channels: number; out_channels: number; kernel_size: number | number[]; padding: number | number[] | string; dilation?: number | number[]; groups?: number; bias?: boolean; stride?: number };
  repr: string;
  weight: number[];
  bias: number[] | null;
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
  g: number[];
  xGrad: number[];
  wGrad: number[];
  bGrad: number[] | null;
  gradFn: string;
}
const golden = loadFixture('nn-conv-padding-modes', new URL('./fixtures/', import.meta.url)) as { cases: PaddingModeCase[]; errors: Record<string, string> };

const tensorOf = (data: number[], shape: number[]) => ({ data, shape, dtype: 'float32' });

describe("nn.Conv1d/Conv2d padding_mode against PyTorch 1.13", () => {
  it.each(golden.cases.map((c) => [`${c.repr}`, c] as const))('%s', (_, c) => {
    const { in_channels, out_channels, kernel_size, ...rest } = c.kwargs;
    const options = { ...rest, kernelSize: kernel_size, paddingMode: c.mode } as Record<string, unknown>;
    const layer = c.dims === 2 ? new nn.Conv2d(in_channels, out_channels, options as never) : new nn.Conv1d(in_channels, out_channels, options as never);
    expect(layer.toString()).toBe(c.repr);
    torch.noGrad(() => {
      layer.weight.copy_(torch.tensor(c.weight).reshape(layer.weight.shape));
      if (c.bias) layer.bias!.copy_(torch.tensor(c.bias));
    });
    const x = torch.tensor(c.x).reshape(c.xShape).requiresGrad_();
    const y = layer.forward(x);
    expect(y.gradFn?.name()).toBe(c.gradFn);
    expectClose(y, tensorOf(c.y, c.yShape), 1e-5, 1e-5, 'output');
    y.backward(torch.tensor(c.g).reshape(c.yShape));
    expectClose(x.grad!, tensorOf(c.xGrad, c.xShape), 1e-5, 1e-5, 'input gradient');
    expectClose(layer.weight.grad!, tensorOf(c.wGrad, [...layer.weight.shape]), 1e-5, 1e-5, 'weight gradient');
    if (c.bGrad) expectClose(layer.bias!.grad!, tensorOf(c.bGrad, [c.bGrad.length]), 1e-5, 1e-5, 'bias gradient');
  });

  it("raises PyTorch's errors: transposed layers pad with zeros only, a reflection must be narrower than the input", () => {
    expect(() => new nn.ConvTranspose2d(2, 3, 3, { paddingMode: 'reflect' })).toThrow(golden.errors.convTranspose);
    expect(() => new nn.Conv2d(1, 1, 3, { padding: 3, paddingMode: 'reflect' }).forward(torch.randn(1, 1, 3, 3))).toThrow(/Padding size should be less than the corresponding input dimension/);
  });
});
