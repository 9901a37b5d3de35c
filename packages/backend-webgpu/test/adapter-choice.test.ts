import { describe, expect, it } from 'vitest';
import { createNodeWebGPUBackend } from '../src/node.js';
import { testBackend } from './adapter.js';

const probe = await testBackend();
probe?.destroy();

describe.runIf(probe !== null)('adapter choice in Node', () => {
  it('prefers Vulkan and says what it chose', async () => {
    const backend = await createNodeWebGPUBackend({ adapter: 'auto' });
    expect(backend.description).toMatch(/^(Vulkan|OpenGL ES \(compatibility\)): /);
    backend.destroy();
  });

  it('DESCENT_WEBGPU_ADAPTER forces the OpenGL ES compatibility adapter', async () => {
    const saved = process.env.DESCENT_WEBGPU_ADAPTER;
    process.env.DESCENT_WEBGPU_ADAPTER = 'opengl';
    try {
      const backend = await createNodeWebGPUBackend();
      expect(backend.description).toMatch(/^OpenGL ES \(compatibility\): /);
      const x = backend.upload(new Float32Array([1, -2, 3]), 'float32');
      const y = backend.unary('abs', { buffer: x, view: { shape: [3], strides: [1], offset: 0 }, dtype: 'float32' });
      expect(Array.from((await backend.read(y, 'float32', 3)) as Float32Array)).toEqual([1, 2, 3]);
      backend.destroy();
    } finally {
      if (saved === undefined) delete process.env.DESCENT_WEBGPU_ADAPTER;
      else process.env.DESCENT_WEBGPU_ADAPTER = saved;
    }
  });

  it('rejects an unknown adapter name', async () => {
    await expect(createNodeWebGPUBackend({ adapter: 'metal' as never })).rejects.toThrow(
      "Unknown WebGPU adapter 'metal': use 'vulkan', 'opengl' or 'auto' (DESCENT_WEBGPU_ADAPTER).",
    );
  });

  it('a lost device gives a clear error instead of a hang', async () => {
    const backend = await createNodeWebGPUBackend();
    const x = backend.upload(new Float32Array([1, 2]), 'float32');
    backend.device.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(() => backend.unary('neg', { buffer: x, view: { shape: [2], strides: [1], offset: 0 }, dtype: 'float32' })).toThrow(
      /The WebGPU device was lost \(destroyed\)/,
    );
    await expect(backend.read(x, 'float32', 2)).rejects.toThrow(/device was lost/);
  });
});
