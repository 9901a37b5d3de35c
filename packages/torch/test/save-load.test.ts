import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

const dir = mkdtempSync(join(tmpdir(), 'descent-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeModel(): torch.nn.Sequential {
  return new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
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
    expect(Array.from(fresh(x).dataSync())).toEqual(Array.from(model(x).dataSync()));
    expect(Object.keys(await torch.load(path)).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
  });

  it('optimizer state round-trips, so training resumes exactly', async () => {
    torch.manualSeed(8);
    const x = torch.randn(6, 3);
    const y = torch.randn(6, 2);
    const train = (model: torch.nn.Sequential, opt: { zeroGrad(): void; step(): void }, steps: number) => {
      for (let i = 0; i < steps; i++) {
        opt.zeroGrad();
        torch.nn.functional.mseLoss(model(x), y).backward();
        opt.step();
      }
    };
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
    expect(Array.from(resumed(x).dataSync())).toEqual(Array.from(model(x).dataSync()));
  });

  it('a bad batch does not corrupt the model: the failed step leaves parameters untouched', () => {
    torch.manualSeed(9);
    const model = makeModel();
    const before = model.parameters().map((p) => Array.from(p.dataSync()));
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    expect(() => torch.nn.functional.mseLoss(model(torch.randn(4, 5)), torch.randn(4, 2)).backward()).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (4x5 and 3x4)',
    );
    opt.step();
    expect(model.parameters().map((p) => Array.from(p.dataSync()))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
