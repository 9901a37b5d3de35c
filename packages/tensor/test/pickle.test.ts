// The restricted unpickler and the protocol 2 writer, opcode by opcode, with no Python at test time. The hand-written
// data pickles decode to the same values with CPython's pickle.loads (checked when they were written down).
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../src/index.js';
import { CheckpointError, TruncatedPickleError } from '../src/serialization/checkpoint-error.js';
import { PyDict, readPickle, type PickleHooks } from '../src/serialization/pickle-reader.js';
import { PickleWriter } from '../src/serialization/pickle-writer.js';
import { pickleState, resolveTree, unpickleCheckpoint } from '../src/serialization/torch-pickle.js';

/** Hooks for plain data: any global, call or persistent id fails the test. */
const dataOnly: PickleHooks = {
  global: (m, n) => {
    throw new Error(`global ${m}.${n}`);
  },
  reduce: () => {
    throw new Error('reduce');
  },
  newObject: () => {
    throw new Error('newobj');
  },
  build: () => {
    throw new Error('build');
  },
  persistentLoad: () => {
    throw new Error('persid');
  },
};

const bytesOf = (...parts: (number | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(new TextEncoder().encode(p)) : [p])));

/** Unpickles with the weights-only policy and converts to plain JavaScript (tensors are not read here). */
function loadData(bytes: Uint8Array): unknown {
  const { value } = unpickleCheckpoint(bytes, 0, 'test.pt', false);
  return resolveTree(value, 'test.pt').root.value;
}

describe('pickle writer and reader round trip', () => {
  it('numbers, strings, booleans, null, nested containers', () => {
    const state = {
      ints: [0, 1, 255, 256, 65535, 65536, -1, -129, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1],
      big: [2n ** 64n, -(2n ** 64n), 2n ** 63n - 1n, 0n],
      floats: [0.1, -2.5e-300, 1e300, Infinity, -Infinity, -0],
      text: ['', 'plain', 'caf\u00e9', '\u{1F600}', 'a\nb\0c'],
      flags: [true, false, null],
      nested: { a: { b: [[], {}, [[1]]] } },
      '__proto__ free': 1,
    };
    const back = loadData(pickleState(state).pickle) as typeof state;
    expect(back.ints).toEqual(state.ints);
    expect(back.big).toEqual([2n ** 64n, -(2n ** 64n), 2n ** 63n - 1n, 0]);
    expect(back.floats).toEqual(state.floats);
    expect(Object.is(back.floats[5], -0)).toBe(true);
    expect(back.text).toEqual(state.text);
    expect(back.flags).toEqual(state.flags);
    expect(back.nested).toEqual(state.nested);
    expect(Object.keys(back)).toEqual(Object.keys(state));
    const nan = loadData(pickleState([NaN]).pickle) as number[];
    expect(nan[0]).toBeNaN();
  });

  it('containers larger than one APPENDS/SETITEMS batch of 1000', () => {
    const list = Array.from({ length: 2500 }, (_, i) => i * 3);
    const dict = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    const back = loadData(pickleState({ list, dict }).pickle) as { list: number[]; dict: Record<string, number> };
    expect(back.list).toEqual(list);
    expect(back.dict).toEqual(dict);
    expect(Object.keys(back.dict)).toEqual(Object.keys(dict));
  });

  it('a key named __proto__ stays an ordinary entry', () => {
    const state = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    const back = loadData(pickleState(state).pickle) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')!.value).toEqual({ x: 1 });
  });

  it('tensors become _rebuild_tensor_v2 with a storage persistent id; a state dict becomes an OrderedDict', () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const { pickle, storages } = pickleState({ 'l.weight': w, 'l.mask': tensor([true, false]), tied: w });
    expect(storages.map((s) => [s.key, s.byteLength, s.tensor.dtype])).toEqual([['0', 16, 'float32'], ['1', 2, 'bool']]);
    const text = new TextDecoder('latin1').decode(pickle);
    expect(text).toContain('ccollections\nOrderedDict\n');
    expect(text).toContain('ctorch._utils\n_rebuild_tensor_v2\n');
    expect(text).toContain('ctorch\nFloatStorage\n');
    expect(text).toContain('ctorch\nBoolStorage\n');
    expect(text.match(/_rebuild_tensor_v2/g)).toHaveLength(1); // memoized: later uses are BINGET
    const { value, storages: refs } = unpickleCheckpoint(pickle, 0, 'test.pt', false);
    expect([...refs.values()]).toEqual([{ key: '0', code: 'F32', numel: 4 }, { key: '1', code: 'BOOL', numel: 2 }]);
    const { slots } = resolveTree(value, 'test.pt');
    expect(slots.map((s) => [s.path, s.tensor.shape, s.tensor.stride, s.tensor.offset])).toEqual([
      ['l.weight', [2, 2], [2, 1], 0],
      ['l.mask', [2], [1], 0],
      ['tied', [2, 2], [2, 1], 0],
    ]);
  });

  it("each dtype's storage is the class torch.save names for it, read back as that element type", () => {
    const state = {
      f32: tensor([1.5], { dtype: 'float32' }), f64: tensor([1.5], { dtype: 'float64' }), i64: tensor([1n, 2n]),
      i32: tensor([1], { dtype: 'int32' }), i16: tensor([1], { dtype: 'int16' }), i8: tensor([1], { dtype: 'int8' }),
      u8: tensor([1], { dtype: 'uint8' }), b: tensor([true, false, true]),
    };
    const { pickle, storages } = pickleState(state);
    expect(storages.map((s) => [s.tensor.dtype, s.byteLength])).toEqual([
      ['float32', 4], ['float64', 8], ['int64', 16], ['int32', 4], ['int16', 2], ['int8', 1], ['uint8', 1], ['bool', 3],
    ]);
    const text = new TextDecoder('latin1').decode(pickle);
    expect([...text.matchAll(/ctorch\n(\w+)\n/g)].map((m) => m[1])).toEqual([
      'FloatStorage', 'DoubleStorage', 'LongStorage', 'IntStorage', 'ShortStorage', 'CharStorage', 'ByteStorage', 'BoolStorage',
    ]);
    const { storages: refs } = unpickleCheckpoint(pickle, 0, 'test.pt', false);
    expect([...refs.values()].map((r) => [r.code, r.numel])).toEqual([
      ['F32', 1], ['F64', 1], ['I64', 2], ['I32', 1], ['I16', 1], ['I8', 1], ['U8', 1], ['BOOL', 3],
    ]);
  });

  it('refuses values that are not data, and cycles', () => {
    expect(() => pickleState({ when: new Date() })).toThrow('torch.save: cannot store a Date at "when"');
    expect(() => pickleState({ a: [new Set()] })).toThrow('cannot store a Set at "a.0"');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => pickleState(loop)).toThrow('contains itself');
    const mapLoop = new Map<number, unknown>();
    mapLoop.set(0, [mapLoop]);
    expect(() => pickleState({ state: mapLoop })).toThrow('torch.save: the value at "state.0.0" contains itself');
  });

  it('memoizes more than 256 globals with LONG_BINPUT/LONG_BINGET', () => {
    const w = new PickleWriter();
    w.emptyList();
    w.mark();
    for (let i = 0; i < 300; i++) w.global('m', `g${i}`);
    for (let i = 0; i < 300; i++) w.global('m', `g${i}`);
    w.appends();
    const names: string[] = [];
    const hooks = { ...dataOnly, global: (m: string, n: string) => (names.push(n), `${m}.${n}`) };
    const { value } = readPickle(w.finish(), 0, hooks, 'test');
    expect(names).toHaveLength(300);
    expect((value as string[]).slice(298, 302)).toEqual(['m.g298', 'm.g299', 'm.g0', 'm.g1']);
  });
});

describe('pickle reader: opcodes of other protocols', () => {
  it('protocol 4 framing, SHORT_BINUNICODE, MEMOIZE, LONG4, BINUNICODE8, SHORT_BINSTRING, TUPLE, POP_MARK', () => {
    // pickle.dumps({'a': (1, 'x', None, True)}, protocol=4) plus hand-written LONG4/BINUNICODE8/SHORT_BINSTRING
    const bytes = bytesOf(
      0x80, 4, 0x95, 0x1b, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x8c, 1, 'a', 0x94, 0x28, 0x4b, 1, 0x8c, 1, 'x', 0x94,
      0x4e, 0x88, 0x74, 0x94, 0x73, // {'a': (1, 'x', None, True)}
      0x8c, 1, 'b', 0x8b, 2, 0, 0, 0, 0x00, 0x80, 0x73, // 'b': LONG4 -32768
      0x8c, 1, 'c', 0x8d, 2, 0, 0, 0, 0, 0, 0, 0, 'hi', 0x73, // 'c': BINUNICODE8
      0x8c, 1, 'd', 0x55, 2, 'py', 0x73, // 'd': SHORT_BINSTRING (a Python 2 str)
      0x8c, 1, 'e', 0x28, 0x4b, 9, 0x31, 0x68, 2, 0x73, // 'e': MARK 9 POP_MARK, then BINGET 2 ('x')
      0x2e,
    );
    const { value, end } = readPickle(bytes, 0, dataOnly, 'test');
    expect(end).toBe(bytes.length);
    const dict = value as PyDict;
    expect([...dict.entries]).toEqual([['a', [1, 'x', null, true]], ['b', -32768], ['c', 'hi'], ['d', 'py'], ['e', 'x']]);
    expect(Object.isFrozen(dict.entries.get('a'))).toBe(true); // a tuple
  });

  it('reads on from where the previous pickle stopped', () => {
    const bytes = bytesOf(0x80, 2, 0x4b, 7, 0x2e, 0x80, 2, 0x4e, 0x2e);
    const first = readPickle(bytes, 0, dataOnly, 'test');
    expect(first).toEqual({ value: 7, end: 5 });
    expect(readPickle(bytes, first.end, dataOnly, 'test')).toEqual({ value: null, end: 9 });
  });
});

describe('pickle reader: hostile and broken pickles', () => {
  const refuse = (bytes: Uint8Array, message: string) => {
    expect(() => loadData(bytes)).toThrow(CheckpointError);
    expect(() => loadData(bytes)).toThrow(message);
  };

  it('refuses globals outside the weights-only list, by name, before calling anything', () => {
    // pickle.dumps of an object whose __reduce__ returns (os.system, ('echo pwned',)), protocol 2
    refuse(
      bytesOf(0x80, 2, 'cposix\nsystem\n', 0x71, 0, 0x58, 10, 0, 0, 0, 'echo pwned', 0x85, 0x52, 0x2e),
      'torch.load: refusing to load "posix.system" from test.pt: only tensors, containers, numbers and strings can be ' +
        "loaded (PyTorch's weights_only rules)",
    );
    refuse(bytesOf(0x80, 2, 'c__builtin__\neval\n', 0x58, 1, 0, 0, 0, '1', 0x85, 0x52, 0x2e), 'refusing to load "builtins.eval"');
    refuse(bytesOf(0x80, 4, 0x8c, 2, 'os', 0x8c, 6, 'system', 0x93, 0x2e), 'refusing to load "os.system"'); // STACK_GLOBAL
    refuse(bytesOf(0x80, 2, 'ccollections\nCounter\n', 0x29, 0x52, 0x2e), 'refusing to load "collections.Counter"');
    refuse(bytesOf(0x80, 2, 'ctorch\nComplexFloatStorage\n', 0x2e), 'uses "torch.ComplexFloatStorage", which PyTorch');
    refuse(bytesOf(0x80, 2, 'ctorch._utils\n_rebuild_sparse_tensor\n', 0x2e), 'Descent cannot load');
  });

  it('refuses calls, instantiation and state on anything else', () => {
    // REDUCE of a storage class (not a function), NEWOBJ of a non-Parameter, BUILD on a list, APPEND to a tuple
    refuse(bytesOf(0x80, 2, 'ctorch\nFloatStorage\n', 0x29, 0x52, 0x2e), 'calls torch.FloatStorage, which a weights-only load does not allow');
    refuse(bytesOf(0x80, 2, 'ctorch\nFloatStorage\n', 0x29, 0x81, 0x2e), 'instantiates torch.FloatStorage; only torch.nn.Parameter may be');
    refuse(bytesOf(0x80, 2, 0x5d, 0x7d, 0x62, 0x2e), 'sets the state of a list');
    refuse(bytesOf(0x80, 2, 0x29, 0x4b, 1, 0x61, 0x2e), 'APPEND to a tuple');
    refuse(bytesOf(0x80, 2, 0x5d, 0x4b, 1, 0x4b, 2, 0x73, 0x2e), 'SETITEM on a list');
    refuse(bytesOf(0x80, 2, 0x58, 3, 0, 0, 0, 'abc', 0x51, 0x2e), "a persistent id is a string, not a ('storage', ...) tuple");
  });

  it('refuses opcodes a weights-only load does not allow, and bytes that are not opcodes', () => {
    refuse(bytesOf(0x80, 2, 0x43, 1, 'x', 0x2e), 'uses opcode SHORT_BINBYTES');
    refuse(bytesOf(0x80, 2, 0x8f, 0x2e), 'uses opcode EMPTY_SET');
    refuse(bytesOf('I12\n.'), 'uses opcode INT'); // text protocol 0
    refuse(bytesOf(0x80, 2, 0xff, 0x2e), 'byte 0xff is not a pickle opcode');
  });

  it('malformed pickles fail with where and why', () => {
    refuse(bytesOf(0x80, 2, 0x2e), 'stack underflow');
    refuse(bytesOf(0x80, 2, 0x74, 0x2e), 'needs a MARK');
    refuse(bytesOf(0x80, 2, 0x68, 5, 0x2e), 'memo entry 5 is read before it is written');
    refuse(bytesOf(0x80, 2, 0x58, 2, 0, 0, 0, 0xff, 0xfe, 0x2e), 'a string is not valid UTF-8');
    refuse(bytesOf(0x80, 2, 0x8a, 100, ...new Array(100).fill(1), 0x2e), 'an integer of 100 bytes');
  });

  it('a pickle cut short says it is truncated', () => {
    const whole = pickleState({ a: [1, 2, 'three'] }).pickle;
    for (const cut of [1, 5, whole.length - 1]) {
      expect(() => loadData(whole.subarray(0, cut))).toThrow(TruncatedPickleError);
      expect(() => loadData(whole.subarray(0, cut))).toThrow('before its STOP opcode; the file is truncated');
    }
    // a string length far beyond the data is truncation, not a huge allocation
    expect(() => loadData(bytesOf(0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f))).toThrow(TruncatedPickleError);
  });

  it('a tensor that reaches past its storage is refused', () => {
    const { pickle } = pickleState({ w: tensor([1, 2, 3], { dtype: 'float32' }) });
    // patch the numel in the persistent id ('storage', FloatStorage, '0', 'cpu', 3) down to 2
    const at = pickle.findIndex((b, i) => b === 0x4b && pickle[i + 1] === 3 && pickle[i + 2] === 0x74);
    const bad = pickle.slice();
    bad[at + 1] = 2;
    expect(() => loadData(bad)).toThrow('a tensor of size [3] and stride [1] at offset 0 reaches past its storage "0" of 2 elements');
  });

  it('a dict given a key without a value is refused, as Python refuses it', () => {
    // PROTO 2, EMPTY_DICT, MARK, BININT1 1, SETITEMS, STOP
    expect(() => loadData(bytesOf(0x80, 2, 0x7d, 0x28, 0x4b, 1, 0x75, 0x2e))).toThrow('SETITEMS with 1 items: a key has no value');
  });

  it('an expand()-ed view may not turn a few bytes into gigabytes', () => {
    const { pickle } = pickleState({ w: tensor([[1]], { dtype: 'float32' }) });
    // offset 0, size (1, 1), stride (1, 1) -> size (60000, 60000), stride (0, 0): 3.6e9 elements over one
    const from = [0x4b, 0, 0x4b, 1, 0x4b, 1, 0x86, 0x4b, 1, 0x4b, 1, 0x86];
    const to = [0x4b, 0, 0x4d, 0x60, 0xea, 0x4d, 0x60, 0xea, 0x86, 0x4b, 0, 0x4b, 0, 0x86];
    const at = pickle.findIndex((_, i) => from.every((b, j) => pickle[i + j] === b));
    expect(at).toBeGreaterThan(0);
    const hostile = new Uint8Array([...pickle.subarray(0, at), ...to, ...pickle.subarray(at + from.length)]);
    expect(() => loadData(hostile)).toThrow(
      'expand()-ed views (the last of size [60000, 60000] over a storage of 1 elements) would add more than 67108864 elements',
    );
  });

  it('deep nesting is refused rather than overflowing the stack', () => {
    // [[[...]]] 2500 levels deep: 2500 EMPTY_LISTs, then APPENDs fold each into the one below
    const lists = new Array(2500).fill(0x5d);
    const appends = new Array(2499).fill(0x61);
    const bytes = bytesOf(0x80, 2, ...lists, ...appends, 0x2e);
    expect(() => loadData(bytes)).toThrow('nested more than 1000 levels deep');
  });
});

describe('resolveTree', () => {
  it('keeps containers the pickle shares shared, and int keys become strings', () => {
    const inner = new PyDict();
    inner.entries.set(3, 'x');
    const outer = new PyDict(true);
    outer.entries.set('a', inner);
    outer.entries.set('b', inner);
    const { root } = resolveTree(outer, 'f');
    const value = root.value as Record<string, Record<string, string>>;
    expect(value).toEqual({ a: { 3: 'x' }, b: { 3: 'x' } });
    expect(value.a).toBe(value.b);
    const clash = new PyDict();
    clash.entries.set(1, 'int');
    clash.entries.set('1', 'str');
    expect(() => resolveTree(clash, 'f')).toThrow('the key "1" twice');
  });

  it('refuses anything that is not unpickled data', () => {
    const t: Tensor = tensor([1]);
    expect(() => resolveTree(t, 'f')).toThrow('holds a Tensor rather than data');
  });
});
