import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/node-browser.js';
import * as nodeEntry from '../src/node.js';

// What a browser bundle gets for `@descent/tensor/node` (the `browser` export condition).
describe('the browser stand-in for @descent/tensor/node', () => {
  it('exports the same names as the Node entry', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
  });

  it('save and load reject when called, naming the in-memory safetensors functions to use instead', async () => {
    await expect(browserEntry.save({}, 'model.safetensors')).rejects.toThrow(/^torch\.save is Node-only .*encodeSafetensors\(stateDict\)/);
    await expect(browserEntry.load('model.safetensors')).rejects.toThrow(/^torch\.load is Node-only .*decodeSafetensors\(bytes\)/);
  });
});
