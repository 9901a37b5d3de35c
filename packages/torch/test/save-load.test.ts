import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

const dir = mkdtempSync(join(tmpdir(), 'descent-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeModel(): torch.nn.Sequential {
  return new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
}

/** `steps` full-batch steps of MSE regression. */
function trainSteps(model: torch.nn.Sequential, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    torch.nn.functional.mseLoss(model(x), y).backward();
    opt.step();
  }
}

describe('torch.save / torch.load (safetensors)', () => {
  it('a saved model reloads into a fresh model and gives identical outputs', async () => {
    torch.manualSeed(7);
    const model = makeModel();
    const x = torch.randn(5, 3);
    const path = join(dir, 'model.safetensors');
    await torch.save(model.stateDict(), path);
    const fresh = makeModel();
    fresh.loadStateDict(await torch.load(path));
    expect(Array.from(fresh(x).dataSync() as Float32Array)).toEqual(Array.from(model(x).dataSync() as Float32Array));
    expect(Object.keys(await torch.load(path)).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
  });

  it('optimizer state round-trips, so training resumes exactly', async () => {
    torch.manualSeed(8);
    const x = torch.randn(6, 3);
    const y = torch.randn(6, 2);
    const train = (model: torch.nn.Sequential, opt: torch.optim.Optimizer, steps: number) => trainSteps(model, opt, x, y, steps);
    const model = makeModel();
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    train(model, opt, 3);
    await torch.save(model.stateDict(), join(dir, 'm.safetensors'));
    await torch.save(opt.stateDict() as unknown as Record<string, unknown>, join(dir, 'opt.safetensors'));
    train(model, opt, 3);

    const resumed = makeModel();
    resumed.loadStateDict(await torch.load(join(dir, 'm.safetensors')));
    const opt2 = new torch.optim.Adam(resumed.parameters(), { lr: 0.01 });
    opt2.loadStateDict(await torch.load(join(dir, 'opt.safetensors')));
    train(resumed, opt2, 3);
    expect(Array.from(resumed(x).dataSync() as Float32Array)).toEqual(Array.from(model(x).dataSync() as Float32Array));
  });

  it('a bad batch does not corrupt the model: the failed step leaves parameters untouched', () => {
    torch.manualSeed(9);
    const model = makeModel();
    const before = model.parameters().map((p) => Array.from(p.dataSync() as Float32Array));
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    expect(() => torch.nn.functional.mseLoss(model(torch.randn(4, 5)), torch.randn(4, 2)).backward()).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (4x5 and 3x4)',
    );
    opt.step();
    expect(model.parameters().map((p) => Array.from(p.dataSync() as Float32Array))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe("torch.save / torch.load (PyTorch's format)", () => {
  class LinearRegressionModel extends torch.nn.Module {
    linear: torch.nn.Linear;

    constructor(inputDim: number, outputDim: number) {
      super();
      this.linear = new torch.nn.Linear(inputDim, outputDim);
    }

    override forward(x: torch.Tensor): torch.Tensor {
      return this.linear(x);
    }
  }

  it("Seed 002 as written: torch.save(model.state_dict(), 'awesome_model.pkl'), then load_state_dict(torch.load(...))", async () => {
    torch.manualSeed(0);
    const model = new LinearRegressionModel(1, 1);
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
    const x = torch.tensor([[0], [1], [2], [3]], { dtype: 'float32' });
    const y = x.mul(2).add(1);
    for (let epoch = 0; epoch < 20; epoch++) {
      optimizer.zeroGrad();
      new torch.nn.MSELoss()(model(x), y).backward();
      optimizer.step();
    }
    const path = join(dir, 'awesome_model.pkl');
    await torch.save(model.stateDict(), path);
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK'); // PyTorch's zip format, not safetensors

    const restored = new LinearRegressionModel(1, 1);
    restored.loadStateDict(await torch.load(path));
    expect(restored.linear.weight.item()).toBe(model.linear.weight.item());
    expect(restored.linear.bias!.item()).toBe(model.linear.bias!.item());
  });

  it('a model and its optimizer round-trip through .pt files, so training resumes exactly', async () => {
    torch.manualSeed(8);
    const x = torch.randn(6, 3);
    const y = torch.randn(6, 2);
    const train = (model: torch.nn.Sequential, opt: torch.optim.Optimizer, steps: number) => trainSteps(model, opt, x, y, steps);
    const model = makeModel();
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    train(model, opt, 3);
    await torch.save({ model: model.stateDict(), optimizer: opt.stateDict(), epoch: 3 }, join(dir, 'checkpoint.pt'));
    train(model, opt, 3);

    const checkpoint = await torch.load<{ model: Record<string, torch.Tensor>; optimizer: never; epoch: number }>(join(dir, 'checkpoint.pt'));
    expect(checkpoint.epoch).toBe(3);
    const resumed = makeModel();
    resumed.loadStateDict(checkpoint.model);
    const opt2 = new torch.optim.Adam(resumed.parameters(), { lr: 0.01 });
    opt2.loadStateDict(checkpoint.optimizer);
    train(resumed, opt2, 3);
    expect(Array.from(resumed(x).dataSync() as Float32Array)).toEqual(Array.from(model(x).dataSync() as Float32Array));
  });

  it('refuses a checkpoint that would run code, naming the global, before anything runs', async () => {
    // the legacy format's header pickles, then an object whose __reduce__ is os.system('echo pwned')
    const evil = join(dir, 'evil.pt');
    writeFileSync(
      evil,
      Buffer.concat([
        Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex'), // magic number 0x1950a86a20f9469cfc6c
        Buffer.from('80024de9032e', 'hex'), // protocol version 1001
        Buffer.from('80027d2e', 'hex'), // system info: {}
        Buffer.from('\x80\x02cposix\nsystem\nX\x0a\x00\x00\x00echo pwned\x85R.', 'latin1'),
      ]),
    );
    await expect(torch.load(evil)).rejects.toThrow(torch.CheckpointError);
    await expect(torch.load(evil)).rejects.toThrow(
      `torch.load: refusing to load "posix.system" from ${evil}: only tensors, containers, numbers and strings can be loaded`,
    );
  });
});
