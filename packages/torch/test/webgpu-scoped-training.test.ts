import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { collectUnreachable, initWebGPU } from './webgpu-setup.js';
import { buildModel, expectClose, fixture, fromFixture, makeOptimizer, optimizerStateTensors, trainStep } from './scoped-training-cases.js';

const available = await initWebGPU();

// WebGPU runs the fused optimizer kernels (sgdUpdate, adamUpdate): state a scope disposed used to turn SGD momentum
// into plain SGD silently and crash Adam. Float32 on the GPU sums in another order: compared to 1e-4.
describe.runIf(available)('WebGPU: training with every step in torch.scope() matches PyTorch (fixtures/scoped-training.json)', () => {
  for (const name of ['SGD momentum', 'SGD nesterov weight decay', 'Adam', 'Adam amsgrad', 'AdamW']) {
    it(`${name}: model, optimizer and each step in scopes; state survives and GPU memory stays flat`, async () => {
      const testCase = fixture.cases.find((c) => c.name === name);
      if (!testCase) throw new Error(`missing case ${name}`);
      const x = fromFixture(fixture.x).to('webgpu');
      const y = fromFixture(fixture.y).to('webgpu');
      let built: [torch.nn.Module, torch.optim.Optimizer] | undefined;
      // Built on the CPU and moved by module.to() inside a scope that returns nothing.
      torch.scope(() => {
        const model = buildModel('webgpu');
        built = [model, makeOptimizer(testCase, model.parameters())];
      });
      if (!built) throw new Error('not built');
      const [model, optimizer] = built;
      await collectUnreachable(); // what earlier tests left: from here on only scopes and dispose() free memory
      const allocated: number[] = [];
      for (const [i, expected] of testCase.steps.entries()) {
        const loss = torch.scope(() => trainStep(model, optimizer, x, y)); // returned, so kept until disposed below
        const [value] = (await loss.dataAsync()) as Float32Array;
        loss.dispose();
        expect(Math.abs(value - expected.loss), `step ${i} loss ${value} vs ${expected.loss}`).toBeLessThanOrEqual(1e-4 * Math.abs(expected.loss));
        for (const [key, t] of Object.entries(model.stateDict())) {
          expect(t.device.type, key).toBe('webgpu');
          expectClose(await t.dataAsync(), expected.state[key], 1e-4, 1e-5, `step ${i} ${key}`);
        }
        await torch.webgpu.synchronize();
        allocated.push(torch.webgpu.memoryAllocated());
      }
      const state = [...model.parameters(), ...model.buffers(), ...optimizerStateTensors(optimizer)];
      expect(state.filter((t) => t.isDisposed)).toEqual([]);
      expect(optimizerStateTensors(optimizer).every((t) => t.device.type === 'webgpu' || t.ndim === 0)).toBe(true);
      // After the first step (which creates the optimizer state and the gradients) no step holds more memory.
      expect(new Set(allocated.slice(1))).toEqual(new Set([allocated[1]]));
    });
  }
});
