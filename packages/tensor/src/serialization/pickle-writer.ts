/**
 * Writes pickle protocol 2, the protocol `torch.save` uses, opcode by opcode (browser-safe). It emits what
 * Python's own pickler emits for the same values (BININT1/BININT2/BININT/LONG1 by size, BINFLOAT, BINUNICODE,
 * batches of 1000 for APPENDS/SETITEMS, BINPUT/BINGET for repeated globals), so Python's unpicklers, PyTorch's
 * weights-only one included, read it.
 */

import { encodeUtf8 } from './utf8.js';

/** Python's pickler writes container items in batches of this size. */
export const PICKLE_BATCH = 1000;

export class PickleWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;
  private readonly memo = new Map<string, number>();

  constructor() {
    this.u8(0x80, 2); // PROTO 2
  }

  private reserve(n: number): number {
    if (this.length + n > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  private u8(...values: number[]): void {
    const at = this.reserve(values.length);
    this.buffer.set(values, at);
  }

  private raw(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }

  /** Writes a fixed-size field (reserving first: growing the buffer replaces the view). */
  private field(n: number, set: (view: DataView, at: number) => void): void {
    const at = this.reserve(n);
    set(this.view, at);
  }

  /** GLOBAL `module name`, memoized: a second use of the same global is a 2-byte BINGET. */
  global(module: string, name: string): void {
    const key = `${module}\n${name}\n`;
    const index = this.memo.get(key);
    if (index !== undefined) {
      this.get(index);
      return;
    }
    this.u8(0x63); // GLOBAL
    this.raw(encodeUtf8(key));
    this.put(key);
  }

  private put(key: string): void {
    const index = this.memo.size;
    this.memo.set(key, index);
    if (index < 256) this.u8(0x71, index); // BINPUT
    else {
      this.u8(0x72); // LONG_BINPUT
      this.field(4, (view, at) => view.setUint32(at, index, true));
    }
  }

  private get(index: number): void {
    if (index < 256) this.u8(0x68, index); // BINGET
    else {
      this.u8(0x6a); // LONG_BINGET
      this.field(4, (view, at) => view.setUint32(at, index, true));
    }
  }

  none(): void {
    this.u8(0x4e);
  }

  bool(value: boolean): void {
    this.u8(value ? 0x88 : 0x89);
  }

  /** A Python int (a safe integer or a bigint), in the shortest form Python's pickler picks. */
  int(value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`pickle: ${value} is not an integer`);
    const n = BigInt(value);
    if (n >= 0n && n < 256n) this.u8(0x4b, Number(n)); // BININT1
    else if (n >= 0n && n < 65536n) {
      this.u8(0x4d); // BININT2
      this.field(2, (view, at) => view.setUint16(at, Number(n), true));
    } else if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      this.u8(0x4a); // BININT
      this.field(4, (view, at) => view.setInt32(at, Number(n), true));
    } else {
      const bytes: number[] = []; // LONG1: little-endian two's complement, as short as the sign allows
      let rest = n;
      do {
        bytes.push(Number(rest & 0xffn));
        rest >>= 8n;
      } while (!((rest === 0n && (bytes[bytes.length - 1] & 0x80) === 0) || (rest === -1n && (bytes[bytes.length - 1] & 0x80) !== 0)));
      this.u8(0x8a, bytes.length, ...bytes);
    }
  }

  /** A Python float: BINFLOAT, 8 bytes big-endian (NaN, infinities and -0 included). */
  float(value: number): void {
    this.u8(0x47);
    this.field(8, (view, at) => view.setFloat64(at, value, false));
  }

  string(value: string): void {
    const bytes = encodeUtf8(value);
    this.u8(0x58); // BINUNICODE
    this.field(4, (view, at) => view.setUint32(at, bytes.length, true));
    this.raw(bytes);
  }

  mark(): void {
    this.u8(0x28);
  }

  /** Before the items of a tuple of `n` items (MARK when TUPLE1-3 cannot hold them). */
  beginTuple(n: number): void {
    if (n > 3) this.mark();
  }

  /** After the items of a tuple of `n` items. */
  endTuple(n: number): void {
    this.u8([0x29, 0x85, 0x86, 0x87][n] ?? 0x74); // EMPTY_TUPLE, TUPLE1-3, TUPLE
  }

  emptyList(): void {
    this.u8(0x5d);
  }

  /** After a MARK and a batch of items: extends the list below the MARK. */
  appends(): void {
    this.u8(0x65);
  }

  emptyDict(): void {
    this.u8(0x7d);
  }

  /** After a MARK and a batch of key, value pairs: sets them on the dict below the MARK. */
  setItems(): void {
    this.u8(0x75);
  }

  /** `callable(*args)`: after the callable and the argument tuple. */
  reduce(): void {
    this.u8(0x52);
  }

  /** The persistent id on the stack (a tuple) stands for an object stored outside the pickle. */
  persistentId(): void {
    this.u8(0x51);
  }

  /** Ends the pickle and returns its bytes. */
  finish(): Uint8Array {
    this.u8(0x2e); // STOP
    return this.buffer.slice(0, this.length);
  }
}
