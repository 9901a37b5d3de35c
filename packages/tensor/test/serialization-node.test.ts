// `@descent/tensor/node`: save/load files, nested (optimizer) state, and atomic writes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, tensor, type Tensor } from '../src/index.js';
import { CheckpointError } from '../src/serialization/checkpoint-error.js';
import { load, save } from '../src/node.js';
import { elements } from './serialization-values.js';

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

  it('every dtype through files: what PyTorch wrote loads exactly, and saves back byte for byte (and through .pt)', async () => {
    const dir = freshDir();
    const pytorch = readFileSync(join(fixtureDir, 'reference-encoding.safetensors'));
    const decoded = decodeSafetensors(new Uint8Array(pytorch));
    const loaded = await load(join(fixtureDir, 'reference-encoding.safetensors'));
    const describe = (state: Record<string, Tensor>) =>
      Object.fromEntries(Object.entries(state).map(([name, t]) => [name, [t.dtype, t.shape, elements(t)]]));
    expect(describe(loaded)).toEqual(describe(decoded.tensors));
    expect(new Set(Object.values(loaded).map((t) => t.dtype)).size).toBe(8);
    const path = join(dir, 'every.safetensors');
    await save(loaded, path, { metadata: decoded.metadata });
    expect(readFileSync(path).equals(pytorch)).toBe(true);
    await save(loaded, join(dir, 'every.pt'));
    expect(describe(await load(join(dir, 'every.pt')))).toEqual(describe(decoded.tensors));
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

describe("PyTorch's format", () => {
  it('is what a path not ending in .safetensors gets, and loads back', async () => {
    const dir = freshDir();
    const path = join(dir, 'awesome_model.pkl');
    const state = { 'linear.weight': tensor([[0.5, -1]], { dtype: 'float32' }), 'linear.bias': tensor([2], { dtype: 'float32' }) };
    await save(state, path);
    expect(Array.from(readFileSync(path).subarray(0, 4))).toEqual([0x50, 0x4b, 3, 4]);
    const loaded = await load(path);
    expect(Object.keys(loaded)).toEqual(['linear.weight', 'linear.bias']);
    expect(loaded['linear.weight'].tolist()).toEqual([[0.5, -1]]);
    expect(readdirSync(dir)).toEqual(['awesome_model.pkl']);
  });

  it('load decides by content, not by name', async () => {
    const dir = freshDir();
    await save({ w: tensor([1, 2]) }, join(dir, 'really-torch.safetensors'), { format: 'torch' });
    await save({ w: tensor([3, 4]) }, join(dir, 'really-safetensors.pt'), { format: 'safetensors' });
    expect((await load(join(dir, 'really-torch.safetensors'))).w.tolist()).toEqual([1, 2]);
    expect((await load(join(dir, 'really-safetensors.pt'))).w.tolist()).toEqual([3, 4]);
  });

  it('keeps metadata for safetensors only', async () => {
    await expect(save({ w: tensor([1]) }, join(freshDir(), 'm.pt'), { metadata: { a: 'b' } })).rejects.toThrow(
      'metadata is stored only in safetensors files; name the file m.pt.safetensors',
    );
  });

  it('a failed save leaves the previous checkpoint intact and no temporary file', async () => {
    const dir = freshDir();
    const path = join(dir, 'model.pt');
    await save({ w: tensor([1, 2, 3], { dtype: 'float32' }) }, path);
    const before = readFileSync(path);
    const broken = tensor([7, 8], { dtype: 'float32' });
    broken.dataAsync = () => Promise.reject(new Error('device lost'));
    await expect(save({ a: tensor([4, 5, 6], { dtype: 'float32' }), b: broken }, path)).rejects.toThrow('device lost');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.pt']);
  });

  it("removes the temporary files a killed save left, but not a live process's or another file's", async () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited by now
    const stale = ['.model.pt.0123456789ab.tmp', `.model.pt.${dead}-0123456789ab.tmp`];
    const kept = [`.model.pt.${process.ppid}-0123456789ab.tmp`, '.other.pt.0123456789ab.tmp', '.model.pt.notours.tmp'];
    for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), 'half a checkpoint');
    await save({ w: tensor([1]) }, join(dir, 'model.pt'));
    expect(readdirSync(dir).sort()).toEqual([...kept, 'model.pt'].sort());
  });
});

describe('concurrent saves', () => {
  it('two saves to one path at once both finish; the file is one of them, whole', async () => {
    const dir = freshDir();
    const path = join(dir, 'model.pt');
    const saves = Array.from({ length: 4 }, (_, i) => save({ w: tensor([i, i, i]) }, path));
    await Promise.all(saves);
    const w = (await load(path)).w.tolist() as number[];
    expect(new Set(w).size).toBe(1);
    expect(readdirSync(dir)).toEqual(['model.pt']);
  });
});

describe('load refuses what is not a checkpoint, at once', () => {
  it('/dev/zero (not a regular file)', async () => {
    const started = performance.now();
    await expect(load('/dev/zero')).rejects.toThrow(CheckpointError);
    await expect(load('/dev/zero')).rejects.toThrow('torch.load: /dev/zero is not a regular file, so it cannot be a checkpoint');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a 5 GB file of zeros fails on its header without being read', async () => {
    const path = join(freshDir(), 'zeros.pt');
    writeFileSync(path, '');
    truncateSync(path, 5 * 1024 ** 3); // sparse: takes no disk space
    try {
      const started = performance.now();
      await expect(load(path)).rejects.toThrow(
        "safetensors: the header must be a JSON object starting with '{' (in " + path + '). It is not a PyTorch checkpoint (zip or legacy) either.',
      );
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      rmSync(path);
    }
  });

  it('a truncated checkpoint names the file', async () => {
    const dir = freshDir();
    const path = join(dir, 'model.pt');
    await save({ w: tensor([1, 2, 3], { dtype: 'float32' }) }, path);
    writeFileSync(path, readFileSync(path).subarray(0, 300));
    await expect(load(path)).rejects.toThrow(`torch.load: ${path}: the zip end-of-central-directory record is missing`);
  });
});
