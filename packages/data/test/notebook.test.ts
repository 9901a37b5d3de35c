// Seed notebook 000 (nn.Linear + DataLoader fit), from shared/fixtures/pytorch/notebooks.json:
// torch.manual_seed(seed); model = nn.Linear(3, 2); DataLoader(TensorDataset(inputs, targets), batch_size, shuffle=True).
import { describe, expect, it } from 'vitest';
import { empty, manualSeed, tensor } from '@descent/tensor';
import { DataLoader, slice, TensorDataset } from '../src/index.js';
import { loadFixture } from './fixtures.js';

const inputs = tensor(
  [
    [73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70],
    [74, 66, 43], [91, 87, 65], [88, 134, 59], [101, 44, 37], [68, 96, 71],
    [73, 66, 44], [92, 87, 64], [87, 135, 57], [103, 43, 36], [68, 97, 70],
  ],
  { dtype: 'float32' },
);
const targets = tensor(
  [
    [56, 70], [81, 101], [119, 133], [22, 37], [103, 119],
    [57, 69], [80, 102], [118, 132], [21, 38], [104, 118],
    [57, 69], [82, 100], [118, 134], [20, 38], [102, 120],
  ],
  { dtype: 'float32' },
);

/** nn.Linear(3, 2)'s reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then uniform bias. */
function linearInit() {
  const fanIn = 3;
  const gain = Math.sqrt(2 / (1 + 5));
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fanIn));
  const weight = empty(2, 3).uniform_(-bound, bound);
  const biasBound = 1 / Math.sqrt(fanIn);
  const bias = empty(2).uniform_(-biasBound, biasBound);
  return { weight: Array.from(weight.dataSync() as Float32Array), bias: Array.from(bias.dataSync() as Float32Array) };
}

describe('notebook 000: TensorDataset + DataLoader', () => {
  const cases = loadFixture('notebooks').cases.filter((c: { notebook: string; batch_size?: number }) =>
    c.notebook.startsWith('000') && c.batch_size !== undefined,
  );

  it('has the DataLoader cases', () => expect(cases.length).toBeGreaterThanOrEqual(2));

  for (const c of cases) {
    it(`seed ${c.seed}, batch size ${c.batch_size}: the first shuffled batch is PyTorch's`, () => {
      manualSeed(c.seed);
      expect(linearInit()).toEqual(c.init);
      const loader = new DataLoader(new TensorDataset(inputs, targets), c.batch_size, { shuffle: true });
      expect(loader.length).toBe(Math.ceil(15 / c.batch_size));
      const [xb, yb] = loader[Symbol.iterator]().next().value!;
      expect(xb.shape).toEqual([c.batch_size, 3]);
      expect(yb.shape).toEqual([c.batch_size, 2]);
      expect(Array.from(xb.dataSync())).toEqual(c.first_batch_x);
    });
  }

  it('train_ds[0:3] gives the first three rows of inputs and of targets', () => {
    const [x, y] = new TensorDataset(inputs, targets).get(slice(0, 3));
    expect(x.tolist()).toEqual([[73, 67, 43], [91, 88, 64], [87, 134, 58]]);
    expect(y.tolist()).toEqual([[56, 70], [81, 101], [119, 133]]);
  });
});
