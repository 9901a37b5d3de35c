/**
 * A restricted unpickler, browser-safe: the opcodes of Python's binary pickle protocols (2 to 5) that build data,
 * in the spirit of PyTorch 1.13's `torch/_weights_only_unpickler.py`. Nothing here imports or calls anything:
 * every opcode that would (GLOBAL, REDUCE, NEWOBJ, BUILD, BINPERSID) goes to {@link PickleHooks}, so the caller's
 * policy decides, and refuses, before any value is built from it. Text protocol 0, bytes, sets and the
 * extension registry are refused by name.
 */

import { CheckpointError, TruncatedPickleError } from './checkpoint-error.js';
import { decodeUtf8 } from './utf8.js';

/** A Python dict or OrderedDict while unpickling: keys may be ints or strings, in insertion order. */
export class PyDict {
  readonly entries = new Map<unknown, unknown>();
  constructor(readonly ordered = false) {}
}

/** Tuples are frozen arrays, so APPEND can tell a list (mutable) from a tuple. */
export const isTuple = (value: unknown): value is readonly unknown[] => Array.isArray(value) && Object.isFrozen(value);
export const isList = (value: unknown): value is unknown[] => Array.isArray(value) && !Object.isFrozen(value);
const tuple = (items: unknown[]): readonly unknown[] => Object.freeze(items);

/** Everything that could run code, decided by the caller. Each hook throws to refuse. */
export interface PickleHooks {
  /** GLOBAL / STACK_GLOBAL: the object named `module.name`. */
  global(module: string, name: string): unknown;
  /** REDUCE: `callable(*args)`, where `callable` came from {@link global}. */
  reduce(callable: unknown, args: readonly unknown[]): unknown;
  /** NEWOBJ: `cls.__new__(cls, *args)`. */
  newObject(cls: unknown, args: readonly unknown[]): unknown;
  /** BUILD: `instance.__setstate__(state)`. */
  build(instance: unknown, state: unknown): void;
  /** BINPERSID: the object an external id stands for (PyTorch's storages). */
  persistentLoad(pid: unknown): unknown;
}

export interface PickleResult {
  value: unknown;
  /** The offset just after the STOP opcode (the next pickle, or the storages, start there). */
  end: number;
}

/** Opcodes by byte, for error messages. */
const OPCODE_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** A little-endian two's-complement integer (LONG1/LONG4) as a number when exact, else a bigint. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

class Machine {
  private pos: number;
  private stack: unknown[] = [];
  private readonly metastack: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly hooks: PickleHooks,
    private readonly where: string,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(message: string, at = this.pos): never {
    throw new CheckpointError(`${this.where}: ${message} (pickle byte ${at}); the file is corrupt or not a PyTorch checkpoint`);
  }

  /** Moves past `n` bytes and returns where they start. */
  private take(n: number): number {
    if (n > this.bytes.length - this.pos) {
      throw new TruncatedPickleError(`${this.where}: the pickle ends after ${this.bytes.length} bytes, before its STOP opcode; the file is truncated`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.take(1)];
  }

  private slice(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  private utf8(n: number): string {
    const text = decodeUtf8(this.slice(n));
    return text ?? this.fail('a string is not valid UTF-8');
  }

  /** A text line (GLOBAL's module and name), at most 256 bytes. */
  private line(): string {
    const limit = Math.min(this.bytes.length, this.pos + 257);
    const length = this.bytes.subarray(this.pos, limit).indexOf(0x0a);
    if (length < 0) {
      if (limit === this.bytes.length) this.take(limit - this.pos + 1); // throws: truncated
      this.fail('a GLOBAL name is not a short text line');
    }
    const text = this.utf8(length);
    this.pos++;
    return text;
  }

  /** LONG1/LONG4: Python ints in checkpoints are small; a huge one is refused rather than slowly decoded. */
  private long(n: number): number | bigint {
    if (n > 64) this.fail(`an integer of ${n} bytes is larger than any checkpoint holds`);
    return decodeLong(this.slice(n));
  }

  private push(value: unknown): void {
    this.stack.push(value);
  }

  private pop(): unknown {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) this.fail('stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private popMark(): unknown[] {
    const items = this.stack;
    const outer = this.metastack.pop();
    if (outer === undefined) this.fail('an opcode needs a MARK that is not there');
    this.stack = outer;
    return items;
  }

  private memoize(index: number): void {
    this.memo.set(index, this.top());
  }

  private recall(index: number): void {
    if (!this.memo.has(index)) this.fail(`memo entry ${index} is read before it is written`);
    this.push(this.memo.get(index));
  }

  private setItems(items: unknown[]): void {
    const dict = this.top();
    if (!(dict instanceof PyDict)) this.fail(`SETITEM on ${describe(dict)}: only dicts take items`);
    if (items.length % 2 !== 0) this.fail(`SETITEMS with ${items.length} items: a key has no value`);
    for (let i = 0; i + 1 < items.length; i += 2) dict.entries.set(items[i], items[i + 1]);
  }

  private append(items: unknown[]): void {
    const list = this.top();
    if (!isList(list)) this.fail(`APPEND to ${describe(list)}: only lists can be appended to`);
    for (const item of items) list.push(item);
  }

  run(): PickleResult {
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      switch (op) {
        case 0x80: this.u8(); break; // PROTO: any binary protocol
        case 0x95: this.take(8); break; // FRAME: a length hint only
        case 0x2e: return { value: this.pop(), end: this.pos }; // STOP
        case 0x28: this.metastack.push(this.stack); this.stack = []; break; // MARK
        case 0x30: this.pop(); break; // POP
        case 0x31: this.popMark(); break; // POP_MARK
        case 0x4e: this.push(null); break; // NONE
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x4b: this.push(this.u8()); break; // BININT1
        case 0x4d: this.push(this.view.getUint16(this.take(2), true)); break; // BININT2
        case 0x4a: this.push(this.view.getInt32(this.take(4), true)); break; // BININT
        case 0x8a: this.push(this.long(this.u8())); break; // LONG1
        case 0x8b: this.push(this.long(this.view.getUint32(this.take(4), true))); break; // LONG4
        case 0x47: this.push(this.view.getFloat64(this.take(8), false)); break; // BINFLOAT (big-endian)
        case 0x58: this.push(this.utf8(this.view.getUint32(this.take(4), true))); break; // BINUNICODE
        case 0x8c: this.push(this.utf8(this.u8())); break; // SHORT_BINUNICODE
        case 0x8d: this.push(this.utf8(Number(this.view.getBigUint64(this.take(8), true)))); break; // BINUNICODE8
        case 0x55: this.push(String.fromCharCode(...this.slice(this.u8()))); break; // SHORT_BINSTRING (Python 2 str)
        case 0x29: this.push(tuple([])); break; // EMPTY_TUPLE
        case 0x74: this.push(tuple(this.popMark())); break; // TUPLE
        case 0x85: this.push(tuple([this.pop()])); break; // TUPLE1
        case 0x86: { const b = this.pop(); const a = this.pop(); this.push(tuple([a, b])); break; } // TUPLE2
        case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.push(tuple([a, b, c])); break; } // TUPLE3
        case 0x5d: this.push([]); break; // EMPTY_LIST
        case 0x61: { const item = this.pop(); this.append([item]); break; } // APPEND
        case 0x65: this.append(this.popMark()); break; // APPENDS
        case 0x7d: this.push(new PyDict()); break; // EMPTY_DICT
        case 0x73: { const value = this.pop(); const key = this.pop(); this.setItems([key, value]); break; } // SETITEM
        case 0x75: this.setItems(this.popMark()); break; // SETITEMS
        case 0x71: this.memoize(this.u8()); break; // BINPUT
        case 0x72: this.memoize(this.view.getUint32(this.take(4), true)); break; // LONG_BINPUT
        case 0x94: this.memoize(this.memo.size); break; // MEMOIZE
        case 0x68: this.recall(this.u8()); break; // BINGET
        case 0x6a: this.recall(this.view.getUint32(this.take(4), true)); break; // LONG_BINGET
        case 0x63: { const module = this.line(); this.push(this.hooks.global(module, this.line())); break; } // GLOBAL
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings', at);
          this.push(this.hooks.global(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          if (!isTuple(args)) this.fail(`REDUCE needs a tuple of arguments, got ${describe(args)}`, at);
          this.push(this.hooks.reduce(this.pop(), args));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = this.pop();
          if (!isTuple(args)) this.fail(`NEWOBJ needs a tuple of arguments, got ${describe(args)}`, at);
          this.push(this.hooks.newObject(this.pop(), args));
          break;
        }
        case 0x62: { const state = this.pop(); this.hooks.build(this.top(), state); break; } // BUILD
        case 0x51: this.push(this.hooks.persistentLoad(this.pop())); break; // BINPERSID
        default: {
          const name = OPCODE_NAMES[op];
          if (name === undefined) this.fail(`byte 0x${op.toString(16).padStart(2, '0')} is not a pickle opcode`, at);
          throw new CheckpointError(
            `${this.where}: the pickle uses opcode ${name} (byte ${at}), which a weights-only load does not allow ` +
              '(it builds objects beyond tensors, containers, numbers and strings, or uses the text protocol 0)',
          );
        }
      }
    }
  }
}

/** A short description of an unpickled value, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'None';
  if (isTuple(value)) return 'a tuple';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PyDict) return value.ordered ? 'an OrderedDict' : 'a dict';
  // the caller's stand-ins for Python globals carry the name the pickle gave them
  if (typeof value === 'object' && 'qualified' in value) return String(value.qualified);
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}

/**
 * Runs one pickle that starts at `start` in `bytes`, up to its STOP. `where` starts every error message
 * ("torch.load: model.pt: data.pkl"). A pickle cut short throws a {@link TruncatedPickleError}.
 */
export function readPickle(bytes: Uint8Array, start: number, hooks: PickleHooks, where: string): PickleResult {
  return new Machine(bytes, start, hooks, where).run();
}
