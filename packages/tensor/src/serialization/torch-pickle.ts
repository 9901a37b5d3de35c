/**
 * What a PyTorch checkpoint's pickle may say, both ways (browser-safe).
 *
 * Reading follows PyTorch 1.13's weights-only unpickler (`torch/_weights_only_unpickler.py`): the only globals
 * are the tensor rebuild functions, the typed storage classes, `collections.OrderedDict`, `torch.Size` and
 * `torch.nn.Parameter`, each checked when the pickle names it, before anything is built. Tensors come out as
 * {@link PendingTensor}s (storage key, offset, shape, strides); their bytes are read afterwards. Unlike 1.13 it
 * also reads BINFLOAT, as PyTorch 2 does, since optimizer state holds floats.
 *
 * Writing produces what `torch.save` pickles for the same state: tensors as
 * `torch._utils._rebuild_tensor_v2(persistent ('storage', torch.FloatStorage, key, 'cpu', numel), 0, size, stride,
 * False, OrderedDict())` with the storage class of the tensor's dtype (DoubleStorage, LongStorage, IntStorage,
 * ShortStorage, CharStorage for int8, ByteStorage for uint8, BoolStorage), state dicts (objects whose values are all tensors) as `collections.OrderedDict`.
 */

import { bytesPerElement, contiguousStrides, numelOf, type DType } from '@descent/backend';
import { Tensor } from '../tensor.js';
import { CheckpointError } from './checkpoint-error.js';
import { describe, isTuple, PyDict, readPickle, type PickleHooks, type PickleResult } from './pickle-reader.js';
import { PICKLE_BATCH, PickleWriter } from './pickle-writer.js';

/** The storage classes Descent loads, by the safetensors code of their element type (see safetensors-dtypes.ts). */
const STORAGE_CODES: Readonly<Record<string, string>> = {
  FloatStorage: 'F32', DoubleStorage: 'F64', HalfStorage: 'F16', BFloat16Storage: 'BF16', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
};
/** The storage class `torch.save` names for each dtype (PyTorch 1.13's legacy typed storages). */
const STORAGE_CLASSES: Readonly<Record<DType, string>> = {
  float32: 'FloatStorage', float64: 'DoubleStorage', int64: 'LongStorage', int32: 'IntStorage', int16: 'ShortStorage',
  int8: 'CharStorage', uint8: 'ByteStorage', bool: 'BoolStorage',
};

/** Globals PyTorch's weights-only loader allows but Descent cannot represent (complex, quantized, sparse, meta...). */
const UNSUPPORTED = /^torch\.(((Complex\w*|QU?Int\w*|Untyped)Storage|\w*Tensor|Tensor|float\d+|int\d+|complex\d+)|_utils\._rebuild_(sparse|meta)\w*|serialization\._get_layout)$/;

const PYTHON2_MODULES: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

/** A storage the pickle refers to, by key; its bytes live in `data/<key>` (zip) or after the pickle (legacy). */
export interface StorageRef {
  key: string;
  /** The element type, as a safetensors code. */
  code: string;
  numel: number;
}

/** A persistent id's storage: a whole storage, or (legacy files) a window into one, in elements. */
class StorageSlice {
  constructor(
    readonly ref: StorageRef,
    readonly offset: number,
    readonly numel: number,
  ) {}
}

/** A tensor read from the pickle whose elements are not loaded yet. `offset` is in elements of the root storage. */
export class PendingTensor {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

class StorageClass {
  constructor(
    readonly qualified: string,
    readonly code: string,
  ) {}
}
class Callable {
  constructor(
    readonly qualified: string,
    readonly call: (args: readonly unknown[]) => unknown,
  ) {}
}
const PARAMETER_CLASS = { qualified: 'torch.nn.parameter.Parameter' };

/**
 * Descent copies a saved view into a tensor of its own, so an expand()-ed view (more elements than its storage) costs
 * memory the file does not: a few bytes could ask for any amount. Such views may add this many elements in all.
 */
const EXPANDED_ELEMENTS_LIMIT = 2 ** 26;

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The weights-only policy for one file; `file` names it in errors. */
class WeightsOnlyPolicy implements PickleHooks {
  /** Storages by key, so every tensor of one storage shares its `StorageRef`. */
  readonly storages = new Map<string, StorageRef>();
  /** Elements that expand()-ed views add beyond their storages, so far. */
  private expandedElements = 0;
  private readonly functions: Record<string, Callable>;

  constructor(
    private readonly file: string,
    private readonly legacy: boolean,
  ) {
    const fn = (name: string, call: (args: readonly unknown[]) => unknown) => new Callable(name, call);
    this.functions = {
      'collections.OrderedDict': fn('collections.OrderedDict', (args) => this.orderedDict(args)),
      'torch._utils._rebuild_tensor_v2': fn('torch._utils._rebuild_tensor_v2', (args) => this.tensor(args, 6, 7)),
      'torch._utils._rebuild_tensor': fn('torch._utils._rebuild_tensor', (args) => this.tensor(args, 4, 4)),
      'torch._utils._rebuild_parameter': fn('torch._utils._rebuild_parameter', (args) => this.parameter(args)),
      'torch._utils._rebuild_parameter_with_state': fn('torch._utils._rebuild_parameter_with_state', (args) => this.parameter(args)),
      'torch.Size': fn('torch.Size', (args) => {
        if (args.length !== 1 || !Array.isArray(args[0]) || !args[0].every(isIndex)) this.fail('torch.Size needs a tuple of sizes');
        return args[0];
      }),
    };
  }

  fail(message: string): never {
    throw new CheckpointError(`torch.load: ${this.file}: ${message}; the file is corrupt or was not written by torch.save`);
  }

  global(module: string, name: string): unknown {
    // Protocol 2 writes Python 2's module names; Python 3 reads them as these (its `fix_imports`).
    const qualified = `${Object.hasOwn(PYTHON2_MODULES, module) ? PYTHON2_MODULES[module] : module}.${name}`;
    if (module === 'torch' && Object.hasOwn(STORAGE_CODES, name)) return new StorageClass(qualified, STORAGE_CODES[name]);
    if (qualified === PARAMETER_CLASS.qualified) return PARAMETER_CLASS;
    if (Object.hasOwn(this.functions, qualified)) return this.functions[qualified];
    if (UNSUPPORTED.test(qualified)) {
      throw new CheckpointError(
        `torch.load: ${this.file} uses "${qualified}", which PyTorch's weights-only loader allows but Descent cannot ` +
          'load: Descent loads dense float, integer and bool tensors, containers, numbers and strings',
      );
    }
    throw new CheckpointError(
      `torch.load: refusing to load "${qualified}" from ${this.file}: only tensors, containers, numbers and strings ` +
        "can be loaded (PyTorch's weights_only rules)",
    );
  }

  reduce(callable: unknown, args: readonly unknown[]): unknown {
    if (!(callable instanceof Callable)) this.fail(`the pickle calls ${describe(callable)}, which a weights-only load does not allow`);
    return callable.call(args);
  }

  newObject(cls: unknown, args: readonly unknown[]): unknown {
    if (cls !== PARAMETER_CLASS) this.fail(`the pickle instantiates ${describe(cls)}; only torch.nn.Parameter may be`);
    return this.parameter(args);
  }

  build(instance: unknown, state: unknown): void {
    // OrderedDict's state is its attributes (a state dict's `_metadata` versions), which Descent does not keep.
    if (instance instanceof PyDict && instance.ordered) return;
    const empty = state === null || (state instanceof PyDict && state.entries.size === 0) || (isTuple(state) && state.length === 0);
    if (instance instanceof PendingTensor && empty) return;
    this.fail(`the pickle sets the state of ${describe(instance)}; only tensors, parameters and OrderedDicts take state`);
  }

  persistentLoad(pid: unknown): StorageSlice {
    if (!isTuple(pid) || pid[0] !== 'storage') this.fail(`a persistent id is ${describe(pid)}, not a ('storage', ...) tuple`);
    if (pid.length !== (this.legacy ? 6 : 5)) this.fail(`a storage id has ${pid.length} fields, expected ${this.legacy ? 6 : 5}`);
    const [, type, key, location, numel] = pid;
    if (!(type instanceof StorageClass)) this.fail(`a storage id names ${describe(type)} instead of a storage class`);
    if (typeof key !== 'string' || typeof location !== 'string' || !isIndex(numel)) this.fail('a storage id is malformed');
    let ref = this.storages.get(key);
    if (ref === undefined) this.storages.set(key, (ref = { key, code: type.code, numel }));
    if (ref.code !== type.code || ref.numel !== numel) this.fail(`storage "${key}" is declared twice with different types or sizes`);
    const view = pid[5];
    if (view === null || view === undefined) return new StorageSlice(ref, 0, numel);
    // Legacy storage views: (view key, element offset, element count) inside the root storage.
    if (!isTuple(view) || view.length !== 3 || !isIndex(view[1]) || !isIndex(view[2]) || view[1] + view[2] > numel) {
      this.fail(`storage "${key}" has a malformed view`);
    }
    return new StorageSlice(ref, view[1], view[2]);
  }

  private orderedDict(args: readonly unknown[]): PyDict {
    const dict = new PyDict(true);
    const items = args[0];
    if (args.length > 1 || (items !== undefined && !Array.isArray(items))) this.fail('OrderedDict takes one list of pairs');
    for (const pair of (items ?? []) as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) this.fail('OrderedDict takes (key, value) pairs');
      dict.entries.set(pair[0], pair[1]);
    }
    return dict;
  }

  private tensor(args: readonly unknown[], min: number, max: number): PendingTensor {
    if (args.length < min || args.length > max) this.fail(`a tensor is rebuilt from ${args.length} arguments, expected ${min === max ? min : `${min} to ${max}`}`);
    const [storage, offset, shape, stride] = args;
    if (!(storage instanceof StorageSlice)) this.fail(`a tensor is rebuilt from ${describe(storage)} instead of a storage`);
    const slice = storage;
    const dims = (v: unknown): v is number[] => Array.isArray(v) && v.every(isIndex);
    if (!isIndex(offset) || !dims(shape) || !dims(stride) || shape.length !== stride.length) {
      this.fail('a tensor has a malformed offset, size or stride');
    }
    const numel = numelOf(shape);
    const last = shape.reduce((reach, size, d) => reach + (size - 1) * stride[d], offset);
    if (!Number.isSafeInteger(numel) || (numel > 0 && last >= slice.numel)) {
      this.fail(
        `a tensor of size [${shape.join(', ')}] and stride [${stride.join(', ')}] at offset ${offset} reaches past ` +
          `its storage "${slice.ref.key}" of ${slice.numel} elements`,
      );
    }
    if (numel > slice.numel) this.expandedElements += numel - slice.numel;
    if (this.expandedElements > EXPANDED_ELEMENTS_LIMIT) {
      this.fail(
        `expand()-ed views (the last of size [${shape.join(', ')}] over a storage of ${slice.numel} elements) would ` +
          `add more than ${EXPANDED_ELEMENTS_LIMIT} elements beyond their storages; save them with .contiguous()`,
      );
    }
    return new PendingTensor(slice.ref, slice.offset + offset, [...shape], [...stride]);
  }

  private parameter(args: readonly unknown[]): PendingTensor {
    if (!(args[0] instanceof PendingTensor)) this.fail('a Parameter wraps something other than a tensor');
    return args[0];
  }
}

/** Unpickles one checkpoint pickle under the weights-only rules. `legacy` selects the pre-1.6 storage ids. */
export function unpickleCheckpoint(
  bytes: Uint8Array,
  start: number,
  file: string,
  legacy: boolean,
): PickleResult & { storages: ReadonlyMap<string, StorageRef> } {
  const policy = new WeightsOnlyPolicy(file, legacy);
  return { ...readPickle(bytes, start, policy, `torch.load: ${file}`), storages: policy.storages };
}

/** Where a loaded tensor goes once its bytes are read: `path` names it in errors ("0.weight"). */
export interface TensorSlot {
  tensor: PendingTensor;
  path: string;
  assign(value: Tensor): void;
}

const MAX_DEPTH = 1000;

/**
 * Turns the unpickled tree into plain JavaScript: dicts and OrderedDicts become objects (keys in order; integer
 * keys become strings), tuples and lists become arrays. Tensors are left as slots to fill once read. Containers
 * the pickle shares (memo) stay shared.
 */
export function resolveTree(tree: unknown, file: string): { root: { value: unknown }; slots: TensorSlot[] } {
  const slots: TensorSlot[] = [];
  const done = new Map<object, unknown>();
  const fail = (message: string): never => {
    throw new CheckpointError(`torch.load: ${file}: ${message}`);
  };
  const convert = (value: unknown, path: string[], assign: (v: unknown) => void): void => {
    if (path.length > MAX_DEPTH) fail(`the data is nested more than ${MAX_DEPTH} levels deep`);
    if (value instanceof PendingTensor) {
      slots.push({ tensor: value, path: path.join('.') || '(top level)', assign });
      return assign(undefined);
    }
    if (typeof value !== 'object' || value === null) return assign(value);
    if (done.has(value)) return assign(done.get(value));
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      done.set(value, out);
      value.forEach((item, i) => convert(item, [...path, String(i)], (v) => (out[i] = v)));
      return assign(out);
    }
    if (value instanceof PyDict) {
      const out: Record<string, unknown> = {};
      done.set(value, out);
      for (const [key, item] of value.entries) {
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint') {
          fail(`a dict at ${path.join('.') || 'the top level'} has ${describe(key)} as a key; Descent loads string and integer keys`);
        }
        const name = String(key);
        if (Object.prototype.hasOwnProperty.call(out, name)) fail(`a dict has the key "${name}" twice (as a string and an integer)`);
        Object.defineProperty(out, name, { value: undefined, enumerable: true, writable: true, configurable: true });
        convert(item, [...path, name], (v) => (out[name] = v));
      }
      return assign(out);
    }
    fail(`${path.join('.') || 'the top level'} holds ${describe(value)} rather than data (a bare storage or class)`);
  };
  const root: { value: unknown } = { value: undefined };
  convert(tree, [], (v) => (root.value = v));
  return { root, slots };
}

/** A tensor to write: its storage key (`data/<key>`) and size in bytes. */
export interface PlannedStorage {
  key: string;
  tensor: Tensor;
  byteLength: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Pickles `state` as `torch.save` would: tensors (one storage per distinct tensor, written separately),
 * objects (an `OrderedDict` when every value is a tensor, as a state dict), Maps (dicts whose integer keys stay
 * ints), arrays, numbers (integers as int, others as float), bigints, strings, booleans and null. `undefined` object
 * values are left out.
 */
export function pickleState(state: unknown): { pickle: Uint8Array; storages: PlannedStorage[] } {
  const w = new PickleWriter();
  const storages: PlannedStorage[] = [];
  const keys = new Map<Tensor, string>();
  const open = new Set<object>();

  const batches = (items: (() => void)[], end: () => void) => {
    for (let i = 0; i < items.length; i += PICKLE_BATCH) {
      w.mark();
      items.slice(i, i + PICKLE_BATCH).forEach((item) => item());
      end();
    }
  };
  const tensor = (t: Tensor) => {
    let key = keys.get(t);
    if (key === undefined) {
      key = String(storages.length);
      keys.set(t, key);
      storages.push({ key, tensor: t, byteLength: t.numel() * bytesPerElement[t.dtype] });
    }
    const strides = contiguousStrides(t.shape);
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.beginTuple(6);
    w.beginTuple(5); // the persistent id: ('storage', torch.FloatStorage, key, 'cpu', numel)
    w.string('storage');
    w.global('torch', STORAGE_CLASSES[t.dtype]);
    w.string(key);
    w.string('cpu');
    w.int(t.numel());
    w.endTuple(5);
    w.persistentId();
    w.int(0);
    for (const dims of [t.shape, strides]) {
      w.beginTuple(dims.length);
      dims.forEach((d) => w.int(d));
      w.endTuple(dims.length);
    }
    w.bool(false);
    w.global('collections', 'OrderedDict'); // backward hooks: always empty
    w.endTuple(0);
    w.reduce();
    w.endTuple(6);
    w.reduce();
  };
  // A Map keeps its keys' types: number keys become Python ints (an optimizer's `state` is keyed by int).
  const dictWithKeys = (map: Map<unknown, unknown>, path: string[]): void => {
    const entries = [...map].filter(([, item]) => item !== undefined);
    for (const [key] of entries) {
      const ok = typeof key === 'string' || typeof key === 'bigint' || (typeof key === 'number' && Number.isSafeInteger(key));
      if (!ok) throw new TypeError(`torch.save: a Map at ${path.length ? `"${path.join('.')}"` : 'the top level'} has a ${typeof key} key; use strings or integers`);
    }
    w.emptyDict();
    batches(entries.map(([key, item]) => () => (value(key, path), value(item, [...path, String(key)]))), () => w.setItems());
  };
  const value = (v: unknown, path: string[]): void => {
    const where = path.length ? `"${path.join('.')}"` : 'the top level';
    if (v instanceof Tensor) return tensor(v);
    if (v === null || v === undefined) return w.none();
    if (typeof v === 'boolean') return w.bool(v);
    if (typeof v === 'string') return w.string(v);
    if (typeof v === 'bigint') return w.int(v);
    if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? w.int(v) : w.float(v);
    if (Array.isArray(v) || isPlainObject(v)) {
      if (open.has(v)) throw new TypeError(`torch.save: the value at ${where} contains itself; a checkpoint must be a tree`);
      open.add(v);
      if (Array.isArray(v)) {
        w.emptyList();
        batches(Array.from(v, (item, i) => () => value(item, [...path, String(i)])), () => w.appends());
      } else {
        const keys = Object.keys(v).filter((k) => v[k] !== undefined);
        if (keys.length > 0 && keys.every((k) => v[k] instanceof Tensor)) {
          w.global('collections', 'OrderedDict');
          w.endTuple(0);
          w.reduce();
        } else w.emptyDict();
        batches(keys.map((k) => () => (w.string(k), value(v[k], [...path, k]))), () => w.setItems());
      }
      open.delete(v);
      return;
    }
    if (v instanceof Map) {
      if (open.has(v)) throw new TypeError(`torch.save: the value at ${where} contains itself; a checkpoint must be a tree`);
      open.add(v);
      dictWithKeys(v, path);
      open.delete(v);
      return;
    }
    const kind = typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
    throw new TypeError(
      `torch.save: cannot store a ${kind} at ${where}; use tensors, numbers, strings, booleans, null, arrays and plain objects`,
    );
  };
  value(state, []);
  return { pickle: w.finish(), storages };
}
