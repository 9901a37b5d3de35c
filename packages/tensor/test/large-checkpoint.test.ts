// A checkpoint past Node's 2 GiB readFile limit saves and loads (slow: about a minute on two cores, ~3.5 GB of
// memory at its peak, 2.4 GB of disk, deleted afterwards). Four tensors of 600 MB, each a distinct pattern whose
// row length (1021, a prime) does not divide any chunk size, so a misplaced byte range would show.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromArray, type Tensor } from '../src/index.js';
import { load, save } from '../src/node.js';

const ROW = 1021;
const ROWS = 146_915; // 150,000,215 float32 elements: 600 MB a tensor
const COUNT = 4;
const dir = mkdtempSync(join(tmpdir(), 'descent-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const value = (k: number, column: number) => column * 0.5 + k * 1000;

describe('a 2.4 GB checkpoint', () => {
  it('saves and loads with every element in place', { timeout: 600_000 }, async () => {
    const path = join(dir, 'large.pt');
    {
      // stride-0 views of one row: 600 MB each only while it is written
      const state: Record<string, Tensor> = {};
      for (let k = 0; k < COUNT; k++) {
        const row = new Float32Array(ROW).map((_, column) => value(k, column));
        state[`layer${k}.weight`] = fromArray(row, [ROW]).unsqueeze(0).expand(ROWS, ROW);
      }
      await save(state, path);
    }
    expect(statSync(path).size).toBeGreaterThan(2.4e9);

    const loaded = await load(path);
    expect(Object.keys(loaded)).toEqual(['layer0.weight', 'layer1.weight', 'layer2.weight', 'layer3.weight']);
    for (let k = 0; k < COUNT; k++) {
      const t = loaded[`layer${k}.weight`];
      expect([t.dtype, t.shape]).toEqual(['float32', [ROWS, ROW]]);
      const data = t.dataSync();
      let wrong = 0;
      for (let i = 0, column = 0; i < data.length; i++, column = column + 1 === ROW ? 0 : column + 1) {
        if (data[i] !== value(k, column)) wrong++;
      }
      expect(wrong, `layer${k}.weight`).toBe(0);
    }
    rmSync(path);
  });
});
