import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// `torch.load(path, map_location='cpu')` (the FGSM tutorial's pretrained model) had no options: the keyword could not
// be given. fixtures/gen_load_map_location.py writes the checkpoint with real PyTorch 1.13 and what it reads back.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('load-map-location', new URL('./fixtures/', import.meta.url));
const PT = fileURLToPath(new URL('./fixtures/load-map-location.pt', import.meta.url));
const { nn } = torch;

interface Checkpoint {
  model: Record<string, torch.Tensor>;
  steps: torch.Tensor;
  names: string[];
}

describe('torch.load(path, { mapLocation }), as map_location=', () => {
  it.each([
    ['cpu', 'cpu'],
    ['device', torch.device('cpu')],
  ] as const)("loads onto %s with PyTorch's values", async (name, mapLocation) => {
    const loaded = await torch.load<Checkpoint>(PT, { mapLocation });
    const want = golden[name];
    expect(Object.keys(loaded)).toEqual(want.keys);
    expect(Object.fromEntries(Object.entries(loaded.model).map(([k, v]) => [k, String(v)]))).toEqual(want.model);
    expect(String(loaded.steps)).toBe(want.steps);
    expect(loaded.names).toEqual(want.names);
    expect(String(loaded.model.weight.device)).toBe(want.device);
  });

  it('restores a model as load_state_dict(torch.load(path, map_location=..., weights_only=True))', async () => {
    const restored = new nn.Linear(3, 2);
    restored.loadStateDict((await torch.load<Checkpoint>(PT, { mapLocation: 'cpu', weightsOnly: true })).model);
    expect(String(restored(torch.ones(1, 3)))).toBe(golden.restored);
  });

  it("raises PyTorch's errors for a CUDA location and an unknown keyword", async () => {
    await expect(torch.load(PT, { mapLocation: 'cuda' })).rejects.toThrow(golden.cuda_error);
    await expect(torch.load(PT, { mapLocaton: 'cpu' } as never)).rejects.toThrow(golden.keyword_error.replace('map_locaton', 'mapLocaton'));
  });
});
