import { expect } from 'vitest';
import * as torch from '@descent/torch';

// Shared by the WebGPU golden tests: the nn package's PyTorch 1.13 fixtures, loaded onto the GPU and checked there.

/** A tensor as the fixture generators write it. */
export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

/** A fixture tensor on the WebGPU device (float32 values exactly as written); float32 ones may require grad. */
export function onGpu(t: FixtureTensor, requiresGrad = false): torch.Tensor {
  const x =
    t.dtype === 'float32'
      ? torch.fromArray(Float32Array.from(t.data), t.shape)
      : torch.tensor(t.dtype === 'int64' ? t.data.map((v) => BigInt(v)) : t.data, { dtype: t.dtype as torch.DType }).reshape(t.shape);
  const moved = x.to('webgpu');
  return requiresGrad && t.dtype === 'float32' ? moved.requiresGrad_() : moved;
}

/** On the GPU, of the expected shape, and within `atol + rtol * |expected|` elementwise (NaN matching NaN, infinities themselves). */
export async function expectCloseOnGpu(actual: torch.Tensor | null, expected: FixtureTensor, rtol: number, atol: number, label: string): Promise<void> {
  expect(actual, label).not.toBeNull();
  expect(actual!.device.type, label).toBe('webgpu');
  expect(actual!.shape, `${label} shape`).toEqual(expected.shape);
  const got = Array.from((await actual!.dataAsync()) as ArrayLike<number | bigint>, Number);
  expected.data.forEach((e, i) => {
    const a = got[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`${label} element ${i}: got ${a}, expected ${e}`);
  });
}
