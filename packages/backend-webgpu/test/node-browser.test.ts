import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/node-browser.js';
import * as nodeEntry from '../src/node.js';

// What a browser bundle gets for `@descent/backend-webgpu/node` (the `browser` export condition).
describe('the browser stand-in for @descent/backend-webgpu/node', () => {
  it('exports the same names as the Node entry', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
  });

  it('createNodeWebGPUBackend rejects when called, saying how to get WebGPU in a browser', async () => {
    await expect(browserEntry.createNodeWebGPUBackend()).rejects.toThrow(/^WebGPU is not available: this browser has no navigator\.gpu/);
  });

  it('keeps createWebGPUBackend, which needs only a GPUDevice', () => {
    expect(browserEntry.createWebGPUBackend).toBe(nodeEntry.createWebGPUBackend);
  });
});
