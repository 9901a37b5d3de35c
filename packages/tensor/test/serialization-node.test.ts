// `@descent/tensor/node`: save/load files, nested (optimizer) state, and atomic writes.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, tensor, type Tensor } from '../src/index.js';
import { load, save } from '../src/node.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const freshDir = () => mkdtempSync(join(tmpdir(), 'descent-safetensors-'));

describe('save and load', () => {
  it('round-trips a flat state dict, written as plain safetensors', async () => {
    const dir = freshDir();
    const path = join(dir, 'model.safetensors');
    const state = { '0.weight': tensor([[1, 2], [3, 4]], { dtype: 'float32' }), '0.bias': tensor([0.5, -0.5]) };
    await save(state, path);
    const loaded = await load(path);
    expect(Object.keys(loaded).sort()).toEqual(['0.bias', '0.weight']);
    expect(loaded['0.weight'].tolist()).toEqual([[1, 2], [3, 4]]);
    expect(loaded['0.bias'].tolist()).toEqual([0.5, -0.5]);
    // no Descent-specific metadata, so any safetensors reader sees exactly the state dict
    expect(decodeSafetensors(new Uint8Array(readFileSync(path))).metadata).toEqual({});
  });

  it('round-trips optimizer-style nested state', async () => {
    const path = join(freshDir(), 'optimizer.safetensors');
    const state = {
      state: {
        0: { momentumBuffer: tensor([0.1, 0.2], { dtype: 'float32' }), step: 3 },
        1: { momentumBuffer: tensor([[1]], { dtype: 'float32' }), step: 3 },
      },
      paramGroups: [{ lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0, maxLr: Infinity, params: [0, 1], name: null }],
    };
    await save(state, path, { metadata: { epoch: '7' } });
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
    expect(Object.keys(tensors).sort()).toEqual(['state.0.momentumBuffer', 'state.1.momentumBuffer']);
    expect(metadata.epoch).toBe('7');

    const loaded = await load<typeof state>(path);
    expect(loaded.paramGroups).toEqual(state.paramGroups);
    expect(loaded.state[0].step).toBe(3);
    expect(loaded.state[0].momentumBuffer.tolist()).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(loaded.state[1].momentumBuffer.shape).toEqual([1, 1]);
  });

  it('loads files written by PyTorch', async () => {
    const loaded = await load(join(fixtureDir, 'sequential.safetensors'));
    expect(Object.keys(loaded).sort()).toEqual([
      '0.bias', '0.weight', '2.bias', '2.weight', '3.bias', '3.num_batches_tracked', '3.running_mean', '3.running_var', '3.weight',
    ]);
    expect(loaded['0.weight'].shape).toEqual([4, 3]);
    expect(loaded['3.weight'].tolist()).toEqual([1, 1]);
  });

  it('says which file is corrupt', async () => {
    const path = join(freshDir(), 'bad.safetensors');
    writeFileSync(path, Buffer.from([1, 0, 0]));
    await expect(load(path)).rejects.toThrow(`safetensors: the file is 3 bytes; it needs at least 8 for the header length (in ${path})`);
  });

  it('rejects values it cannot store', async () => {
    const path = join(freshDir(), 'x.safetensors');
    await expect(save({ when: new Date(), w: tensor([1]) }, path)).rejects.toThrow('cannot store a Date at "when"');
    await expect(save({ a: { b: tensor([1]) }, 'a.b': tensor([2]) }, path)).rejects.toThrow('two tensors map to the name "a.b"');
    expect(readdirSync(dirname(path))).toEqual([]);
  });
});

describe('atomic writes', () => {
  it('a write that fails midway leaves the previous file intact and no temporary file', async () => {
    const dir = freshDir();
    const path = join(dir, 'model.safetensors');
    await save({ w: tensor([1, 2, 3], { dtype: 'float32' }) }, path);
    const before = readFileSync(path);

    const good = tensor([4, 5, 6], { dtype: 'float32' });
    const broken = tensor([7, 8], { dtype: 'float32' });
    broken.dataAsync = () => Promise.reject(new Error('device lost'));
    // "a" is written first (tensors go in name order), then reading "b" fails with the file half written
    await expect(save({ a: good, b: broken }, path)).rejects.toThrow('device lost');

    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    expect((await load<Record<string, Tensor>>(path)).w.tolist()).toEqual([1, 2, 3]);
  });

  it('replaces an existing file', async () => {
    const dir = freshDir();
    const path = join(dir, 'linear.safetensors');
    copyFileSync(join(fixtureDir, 'linear.safetensors'), path);
    await save({ only: tensor([42]) }, path);
    expect(Object.keys(await load(path))).toEqual(['only']);
    expect(readdirSync(dir)).toEqual(['linear.safetensors']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(save({ w: tensor([1]) }, join(freshDir(), 'missing', 'x.safetensors'))).rejects.toThrow('ENOENT');
  });
});
