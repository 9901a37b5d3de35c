// Checkpoints between Descent and real PyTorch, both ways, and a Descent model continuing under PyTorch's
// DistributedDataParallel. Python scripts: ./pytorch-interop/. Without python3-torch the suite is skipped locally
// and fails under CI=true (see ./pytorch-interop/python.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import {
  describeDescent,
  describeWithPyTorch,
  expectLoaded,
  expectSameOutput,
  freePort,
  interop,
  pythonHas,
  pytorchVersion,
  runPython,
  SCRIPTS,
  withoutTypes,
  type Json,
} from './pytorch-interop/python.js';

const makeModel = () => new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
const F = torch.nn.functional;
/** PyTorch 1.13's weights-only unpickler has no opcode for floats (2.0 added it): state with floats needs weights_only=False there. */
const floatsNeedFullLoad = () => Number(pytorchVersion.split('.')[0]) < 2;

describeWithPyTorch('PyTorch interop', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'descent-interop-')); // here, so a skipped suite leaves nothing behind
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('Descent -> .pt -> PyTorch', () => {
    it("a model's state dict loads with weights_only=True: same keys, dtypes and values; the same outputs", { timeout: 120_000 }, async () => {
      torch.manualSeed(11);
      const model = makeModel();
      const x = torch.randn(5, 3);
      const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        F.mseLoss(model(x), torch.zeros(5, 2)).backward();
        opt.step();
      }
      await torch.save(model.stateDict(), join(dir, 'model.pt'));
      await torch.save({ x }, join(dir, 'input.pt'));

      const loaded = await interop<{ value: Json & { __type__: string } }>('load', join(dir, 'model.pt'), '1');
      expect(loaded.value.__type__).toBe('OrderedDict');
      expect(Object.keys(loaded.value)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '__type__']);
      expect(withoutTypes(loaded.value)).toEqual(describeDescent(model.stateDict()));

      const { output } = await interop<{ output: Json }>('forward', join(dir, 'model.pt'), join(dir, 'input.pt'));
      expectSameOutput(model(x), output);
    });

    it('nested data, int64 and bool tensors, views, 0-d and empty tensors load with weights_only=True', { timeout: 60_000 }, async () => {
      const grid = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
      const state = {
        grid,
        transposed: grid.t(),
        corner: grid.narrow(0, 1, 2).narrow(1, 2, 2),
        ids: torch.tensor([[2147483647, -2147483648, 0]]),
        mask: torch.tensor([true, false]),
        scalar: torch.tensor(-7),
        empty: torch.zeros(0, 3),
        meta: { epoch: 3, names: ['a', 'caf\u00e9'], done: false, note: null, big: 2n ** 70n, depth: [[[1]], []] },
      };
      const path = join(dir, 'nested.pth');
      await torch.save(state, path);
      const loaded = await interop<{ value: Json }>('load', path, '1');
      expect(withoutTypes(loaded.value)).toEqual(describeDescent(state));
    });

    it("an optimizer's stateDict() loads (with weights_only=False on PyTorch 1.13, which cannot load floats weights-only)", { timeout: 60_000 }, async () => {
      torch.manualSeed(12);
      const model = makeModel();
      const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
      for (let i = 0; i < 2; i++) {
        opt.zeroGrad();
        model(torch.randn(4, 3)).pow(2).sum().backward();
        opt.step();
      }
      const path = join(dir, 'optimizer.pt');
      await torch.save(opt.stateDict(), path);
      const loaded = await interop<{ value: Json }>('load', path, floatsNeedFullLoad() ? '0' : '1');
      // In PyTorch's layout (param_groups, exp_avg, ...), which Python's optimizer.load_state_dict takes.
      expect(withoutTypes(loaded.value)).toEqual(describeDescent(torch.optim.toPyTorchStateDict(opt.stateDict())));
      expect(Object.keys(loaded.value as object)).toEqual(['state', 'param_groups']);
    });
  });

  describe('PyTorch -> .pt / .pth / .bin / safetensors -> Descent', () => {
    let reference: { files: string[]; state: Json; input: Json; output: Json; everything: Json };
    beforeAll(async () => {
      reference = await interop('write', dir);
    }, 120_000);

    const loadsLikePyTorch = async (file: string) => {
      const state = await torch.load(join(dir, file));
      expectLoaded(state, reference.state);
      // the state dict's order; safetensors files keep their tensors sorted by name
      const order = ['0.weight', '0.bias', '2.weight', '2.bias'];
      expect(Object.keys(state)).toEqual(file.endsWith('.safetensors') ? order.sort() : order);
      const model = makeModel();
      model.loadStateDict(state);
      const { x } = await torch.load(join(dir, 'input.pt'));
      expectLoaded(x, reference.input);
      expectSameOutput(model(x), reference.output);
    };

    it.each(['model.pt', 'model.pth', 'pytorch_model.bin'])(
      '%s loads with identical values, and the model gives the same outputs as in PyTorch',
      loadsLikePyTorch,
    );

    // Only this direction needs the python safetensors package; packages/tensor's fixtures cover its files anyway.
    it.skipIf(!pythonHas('safetensors'))('model.safetensors (from the python safetensors package) too', async () => {
      expect(reference.files).toContain('model.safetensors');
      await loadsLikePyTorch('model.safetensors');
    });

    it.each(['everything.pt', 'everything.pth'])('%s: every dtype, shared-storage views, optimizer state, parameters, plain values', async (file) => {
      expectLoaded(await torch.load(join(dir, file)), reference.everything);
    });
  });

  describe('every dtype: PyTorch -> Descent -> PyTorch', () => {
    type Same = {
      keys: string[];
      copy_keys: string[];
      tensors: Record<string, { dtype: string; copy_dtype: string; shape: number[]; copy_shape: number[]; same_bytes: boolean }>;
    };
    let written: { files: string[]; state: Json };
    beforeAll(async () => {
      written = await interop('dtypes', dir);
    }, 120_000);

    const roundTrip = async (file: string, copy: string) => {
      const state = await torch.load<Record<string, torch.Tensor>>(join(dir, file));
      expectLoaded(state, written.state);
      expect(new Set(Object.values(state).map((t) => t.dtype))).toEqual(
        new Set(['float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool']),
      );
      await torch.save(state, join(dir, copy));
      const same = await interop<Same>('same', join(dir, file), join(dir, copy));
      expect(same.copy_keys).toEqual(same.keys);
      for (const [key, t] of Object.entries(same.tensors)) {
        expect([t.copy_dtype, t.copy_shape, t.same_bytes], key).toEqual([t.dtype, t.shape, true]);
      }
      expect(Object.keys(same.tensors)).toHaveLength(9);
    };

    it('.pt: each tensor comes back to PyTorch (weights_only=True) with its dtype, shape and exact bytes', { timeout: 60_000 }, async () => {
      await roundTrip('dtypes.pt', 'dtypes-descent.pt');
    });

    it.skipIf(!pythonHas('safetensors'))('safetensors: the same through safetensors.torch.load_file', { timeout: 60_000 }, async () => {
      expect(written.files).toContain('dtypes.safetensors');
      await roundTrip('dtypes.safetensors', 'dtypes-descent.safetensors');
    });
  });

  describe('a general checkpoint (model, optimizer, epoch, loss) resumes on the other side', () => {
    type Name = 'sgd' | 'adam';
    const makeOptimizer = (name: Name, params: torch.Tensor[]) =>
      name === 'sgd'
        ? new torch.optim.SGD(params, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 })
        : new torch.optim.Adam(params, { lr: 0.05, betas: [0.8, 0.95], amsgrad: true });
    const train = (model: torch.nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, steps: number) => {
      for (let i = 0; i < steps; i++) {
        opt.zeroGrad();
        F.mseLoss(model(x) as torch.Tensor, y).backward();
        opt.step();
      }
    };
    const resume = async (...args: string[]) => JSON.parse(await runPython([join(SCRIPTS, 'resume.py'), ...args])) as { path: string; final: Json };
    /** The same weights as PyTorch's run, to float32 rounding (the two sum matrix products in different orders). */
    const expectWeights = (state: Record<string, torch.Tensor>, expected: Json) => {
      const want = withoutTypes(expected) as Record<string, { __tensor__: { shape: number[]; data: number[] } }>;
      expect(Object.keys(state)).toEqual(Object.keys(want));
      for (const [key, { __tensor__: { shape, data } }] of Object.entries(want)) {
        expect(state[key].shape, key).toEqual(shape);
        Array.from(state[key].dataSync() as Float32Array).forEach((v, i) => expect(Math.abs(v - data[i]), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(data[i]) + 1e-6));
      }
    };

    it.each(['sgd', 'adam'] as const)('PyTorch -> Descent (%s): load_state_dict of both, then three more steps give PyTorch\'s weights', async (name) => {
      const { path, final } = await resume('write', dir, name);
      const checkpoint = await torch.load<{ epoch: number; model_state_dict: Record<string, torch.Tensor>; optimizer_state_dict: torch.optim.PyTorchOptimizerStateDict; x: torch.Tensor; y: torch.Tensor }>(path);
      expect(checkpoint.epoch).toBe(3);
      const model = makeModel();
      model.loadStateDict(checkpoint.model_state_dict);
      const opt = makeOptimizer(name, model.parameters());
      opt.loadStateDict(checkpoint.optimizer_state_dict);
      expect(Object.keys(opt.paramGroups[0]).filter((key) => key.includes('_'))).toEqual([]); // Descent's names
      train(model, opt, checkpoint.x, checkpoint.y, 3);
      expectWeights(model.stateDict(), final);
    });

    it.each(['sgd', 'adam'] as const)('Descent -> PyTorch (%s): Python restores both with load_state_dict and takes the steps Descent takes', async (name) => {
      torch.manualSeed(6);
      const model = makeModel();
      const opt = makeOptimizer(name, model.parameters());
      const [x, y] = [torch.randn(6, 3), torch.randn(6, 2)];
      train(model, opt, x, y, 3);
      const path = join(dir, `descent-${name}-checkpoint.pt`);
      await torch.save({ epoch: 3, model_state_dict: model.stateDict(), optimizer_state_dict: opt.stateDict(), loss: 0.5, x, y }, path);
      const { final } = await resume('resume', path, name);
      train(model, opt, x, y, 3);
      expectWeights(model.stateDict(), final);
    });
  });

  describe('beyond one machine', () => {
    it('a model trained in Descent continues under DistributedDataParallel (torchrun, 2 processes, gloo) and comes back', { timeout: 300_000 }, async () => {
      torch.manualSeed(21);
      const model = makeModel();
      const x = torch.randn(8, 3);
      const y = torch.randn(8, 2);
      const lr = 0.1;
      const sgd = new torch.optim.SGD(model.parameters(), { lr });
      const step = () => {
        sgd.zeroGrad();
        const loss = F.mseLoss(model(x), y);
        loss.backward();
        sgd.step();
        return loss.item();
      };
      for (let i = 0; i < 5; i++) step();
      const checkpoint = join(dir, 'descent-trained.pt');
      const out = join(dir, 'ddp-trained.pt');
      await torch.save({ model: model.stateDict(), x, y }, checkpoint);

      // Python 3.11 with PyTorch 1.13's launcher cannot parse the default --redirects/--tee of 0; 1 (stdout) works everywhere.
      const port = await freePort();
      const steps = 10;
      await runPython(
        ['-m', 'torch.distributed.run', '--nnodes=1', '--nproc_per_node=2', '--master_addr=127.0.0.1', `--master_port=${port}`,
          '--redirects', '1', '--tee', '1', '--log_dir', join(dir, 'torchrun-logs'),
          join(SCRIPTS, 'ddp_train.py'), checkpoint, out, String(steps), String(lr)],
        240_000,
      );

      // With equal halves per rank, DDP's averaged gradient is the full-batch gradient: Descent takes the same steps.
      const expectedLosses = Array.from({ length: steps }, step);
      const ddp = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { world_size: number; losses: number[] };
      expect(ddp.world_size).toBe(2);
      ddp.losses.forEach((loss, i) => expect(Math.abs(loss - expectedLosses[i])).toBeLessThanOrEqual(1e-5 * Math.abs(expectedLosses[i]) + 1e-7));
      expect(ddp.losses[steps - 1]).toBeLessThan(ddp.losses[0]);

      const trained = await torch.load(out);
      expect(Object.keys(trained)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
      const reloaded = makeModel();
      reloaded.loadStateDict(trained);
      const expected = model.stateDict();
      for (const [key, value] of Object.entries(trained)) {
        expect(value.shape, key).toEqual(expected[key].shape);
        expect(torch.allclose(value, expected[key], 1e-5, 1e-7), key).toBe(true);
      }
      expect(torch.allclose(reloaded(x), model(x), 1e-5, 1e-6)).toBe(true);
    });
  });
});
