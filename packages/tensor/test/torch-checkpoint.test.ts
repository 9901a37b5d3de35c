// torch.load of files written by real PyTorch 1.13 (fixtures/torch, made by tooling/fixtures/gen_torch_checkpoints.py),
// compared with the values PyTorch recorded; and Descent's own writer read back by the same reader.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '../src/index.js';
import { load } from '../src/node.js';
import { CheckpointError } from '../src/serialization/checkpoint-error.js';
import { decodeTorchCheckpoint, encodeTorchCheckpoint, sniffCheckpoint } from '../src/serialization/torch-checkpoint.js';
import { crc32 } from '../src/serialization/crc32.js';
import { resolveTree, unpickleCheckpoint } from '../src/serialization/torch-pickle.js';
import { bytesSource, ZipArchive, type ZipEntry } from '../src/serialization/zip-reader.js';
import { elements, expectTensor, type RecordedValue } from './serialization-values.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torch');
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const reference = JSON.parse(readFileSync(join(fixtureDir, 'torch-checkpoints.json'), 'utf8')) as {
  torch: string;
  model: { input: Json; output: Json };
  files: Record<string, Json>;
};

function special(value: Json): number | bigint | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if ('__float__' in value) return { nan: NaN, inf: Infinity, '-inf': -Infinity }[value.__float__ as string];
  if ('__int__' in value) return BigInt(value.__int__ as string);
  return undefined;
}

/** Checks a loaded value against PyTorch's description of it, exactly (every dtype but float16/bfloat16 as its own). */
function expectLoaded(actual: unknown, expected: Json, path = 'value'): void {
  const number = special(expected);
  if (number !== undefined) return void expect(actual, path).toEqual(number);
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected) && '__tensor__' in expected) {
    expect(actual, path).toBeInstanceOf(Tensor);
    return expectTensor(actual as Tensor, expected.__tensor__ as { dtype: string; shape: number[]; data: RecordedValue[] }, path);
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    return expected.forEach((item, i) => expectLoaded((actual as unknown[])[i], item, `${path}.${i}`));
  }
  if (typeof expected === 'object' && expected !== null) {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expectLoaded((actual as Record<string, unknown>)[key], expected[key], `${path}.${key}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

const loadable = Object.keys(reference.files).filter((f) => !('refused' in (reference.files[f] as object)));
const refused = Object.keys(reference.files).filter((f) => 'refused' in (reference.files[f] as object));

describe(`torch.load of PyTorch ${reference.torch} files`, () => {
  it.each(loadable)('%s holds what PyTorch saved', async (file) => {
    expectLoaded(await load(join(fixtureDir, file)), reference.files[file]);
  });

  it('a state dict keeps its key order and the model gives PyTorch\'s output', async () => {
    for (const file of ['state-dict.pt', 'state-dict-legacy.pt']) {
      const sd = await load(join(fixtureDir, file));
      expect(Object.keys(sd)).toEqual([
        '0.weight', '0.bias', '2.weight', '2.bias', '3.weight', '3.bias', '3.running_mean', '3.running_var', '3.num_batches_tracked',
      ]);
      // nn.Sequential(Linear, ReLU, Linear, BatchNorm1d) in eval mode, by hand (this package has no nn)
      const input = (reference.model.input as { __tensor__: { data: number[] } }).__tensor__.data;
      const x = tensor(input, { dtype: 'float32' }).reshape(2, 3);
      const h = x.matmul(sd['0.weight'].t()).add(sd['0.bias']).relu().matmul(sd['2.weight'].t()).add(sd['2.bias']);
      const y = h.sub(sd['3.running_mean']).div(sd['3.running_var'].add(1e-5).sqrt()).mul(sd['3.weight']).add(sd['3.bias']);
      const want = (reference.model.output as { __tensor__: { data: number[] } }).__tensor__.data;
      Array.from(y.dataSync() as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    }
  });

  it('tensors that share a storage load with their offsets and strides; a tensor stored twice loads once', async () => {
    const views = await load<Record<string, Tensor | Tensor[]>>(join(fixtureDir, 'views.pt'));
    const tied = views.tied as Tensor[];
    expect(tied[0]).toBe(tied[1]);
    expect(tied[0]).toBe(views.base);
  });

  it.each(refused)('%s is refused, naming the global, before anything runs', async (file) => {
    const global = (reference.files[file] as { refused: string }).refused;
    const path = join(fixtureDir, file);
    await expect(load(path)).rejects.toThrow(CheckpointError);
    await expect(load(path)).rejects.toThrow(
      `torch.load: refusing to load "${global}" from ${path}: only tensors, containers, numbers and strings can be loaded`,
    );
  });
});

/** Each tensor's storage in a zip checkpoint: class, view and record bytes; and the storage classes in pickle order. */
async function storagesOf(file: Uint8Array) {
  const archive = await ZipArchive.open(bytesSource(file), 'checkpoint');
  const names = [...archive.entries.keys()];
  const prefix = names[0].slice(0, names[0].indexOf('/') + 1);
  const record = (name: string) => archive.read(archive.entries.get(prefix + name) as ZipEntry, crc32);
  const pickle = await record('data.pkl');
  const classes = [...new TextDecoder('latin1').decode(pickle).matchAll(/ctorch\n(\w+Storage)\n/g)].map((m) => m[1]);
  const { slots } = resolveTree(unpickleCheckpoint(pickle, 0, 'checkpoint', false).value, 'checkpoint');
  const tensors: Record<string, unknown> = {};
  for (const { path, tensor: t } of slots) {
    const { code, numel } = t.storage;
    tensors[path] = { code, numel, shape: t.shape, stride: t.stride, offset: t.offset, bytes: Buffer.from(await record(`data/${t.storage.key}`)) };
  }
  return { classes, tensors };
}

describe('in memory (browser-safe)', () => {
  it('sniffs the format from the first bytes', () => {
    expect(sniffCheckpoint(readFileSync(join(fixtureDir, 'views.pt')))).toBe('zip');
    expect(sniffCheckpoint(readFileSync(join(fixtureDir, 'views-legacy.pt')))).toBe('legacy');
    expect(sniffCheckpoint(new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0]))).toBe('safetensors');
  });

  it('encodeTorchCheckpoint and decodeTorchCheckpoint round-trip every dtype and shape, exactly', async () => {
    const state = {
      w: tensor([[1.5, -2], [3, 4e-8]], { dtype: 'float32' }),
      d: tensor([[1 / 3, -0], [5e-324, NaN], [Infinity, -1.7976931348623157e308]], { dtype: 'float64' }).t(),
      l: tensor([2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 0n]),
      i: tensor([2147483647, -2147483648, 0], { dtype: 'int32' }),
      h: tensor([[-32768, 32767]], { dtype: 'int16' }),
      c: tensor([-128, 127], { dtype: 'int8' }),
      u: tensor(255, { dtype: 'uint8' }),
      b: tensor([[true], [false]]),
      s: tensor(7.25),
      e: tensor([], { dtype: 'int64' }).reshape(0, 4),
      t: tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' }).t(),
    };
    const bytes = await encodeTorchCheckpoint({ model: state, step: 3, name: 'run' });
    const back = (await decodeTorchCheckpoint(bytes)) as { model: Record<string, Tensor>; step: number; name: string };
    expect(back.step).toBe(3);
    expect(back.name).toBe('run');
    for (const [key, t] of Object.entries(state)) {
      const loaded = back.model[key];
      expect([loaded.dtype, loaded.shape, elements(loaded)], key).toEqual([t.dtype, t.shape, elements(t.contiguous())]);
    }
  });

  it("writes every dtype as torch.save does: PyTorch's storage classes, and storage records byte for byte", async () => {
    const pytorch = readFileSync(join(fixtureDir, 'every-dtype.pt'));
    const state = await decodeTorchCheckpoint(pytorch);
    const ours = await encodeTorchCheckpoint(state, 'every-dtype');
    const [theirs, mine] = await Promise.all([storagesOf(pytorch), storagesOf(ours)]);
    expect(theirs.classes).toEqual([
      'FloatStorage', 'DoubleStorage', 'LongStorage', 'IntStorage', 'ShortStorage', 'CharStorage', 'ByteStorage', 'BoolStorage',
    ]);
    expect(mine).toEqual(theirs);
  });

  it('int64 loads exactly, past 2^53 and at its ends (zip and legacy); a changed byte fails the CRC check', async () => {
    for (const file of ['dtypes.pt', 'dtypes-legacy.pt']) {
      const { i64 } = (await decodeTorchCheckpoint(readFileSync(join(fixtureDir, file)))) as Record<string, Tensor>;
      expect([i64.dtype, elements(i64)], file).toEqual(['int64', [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 2n ** 31n]]);
    }
    // dtypes' i64 holds 2^53 + 1 (01 00 00 00 00 00 20 00); change one byte of it
    const bytes = Uint8Array.from(readFileSync(join(fixtureDir, 'dtypes.pt')));
    const at = Buffer.from(bytes).indexOf(Buffer.from([1, 0, 0, 0, 0, 0, 0x20, 0]));
    bytes[at] = 3;
    await expect(decodeTorchCheckpoint(bytes)).rejects.toThrow('record "dtypes/data/3" fails its CRC-32 check');
  });

  it('a Map is written as a dict whose integer keys stay ints (how PyTorch keys optimizer state)', async () => {
    const bytes = await encodeTorchCheckpoint({ state: new Map<number | string, unknown>([[0, tensor([1.5])], [7, 'x'], ['name', 2]]) });
    const pickle = new TextDecoder('latin1').decode(bytes);
    // BININT1 0 then the tensor, BININT1 7 then the string 'x': the keys went in as ints, not as strings.
    expect(pickle).toContain('K\x00ctorch._utils\n_rebuild_tensor_v2');
    expect(pickle).toContain('K\x07X\x01\x00\x00\x00x');
    const back = (await decodeTorchCheckpoint(bytes)) as { state: Record<string, unknown> };
    expect(Object.keys(back.state)).toEqual(['0', '7', 'name']);
    expect((back.state['0'] as Tensor).tolist()).toEqual([1.5]);
    await expect(encodeTorchCheckpoint({ state: new Map([[0.5, 1]]) })).rejects.toThrow('torch.save: a Map at "state" has a number key; use strings or integers');
  });
});
