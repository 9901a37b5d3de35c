/**
 * A JSON parser for untrusted safetensors headers. Unlike JSON.parse it rejects duplicate keys (JSON.parse keeps
 * the last one silently, so two readers could disagree on which tensor a name means) and it never assigns through
 * `__proto__`: objects come back with a null prototype.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const MAX_DEPTH = 64;

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): JsonValue {
    const value = this.value(0);
    this.skipSpace();
    if (this.at < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} at character ${this.at}`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.at++;
    }
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of JSON' : `unexpected character '${c}'`);
  }

  private object(depth: number): JsonObject {
    const out = Object.create(null) as JsonObject;
    this.at++; // {
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('expected a string key');
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`duplicate key "${key}"`);
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail(`expected ':' after key "${key}"`);
      this.at++;
      out[key] = this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') {
        this.at--;
        this.fail("expected ',' or '}' in an object");
      }
    }
  }

  private array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.at++; // [
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === ']') return out;
      if (c !== ',') {
        this.at--;
        this.fail("expected ',' or ']' in an array");
      }
    }
  }

  private string(): string {
    // Find the closing quote, then let JSON.parse handle escapes (it is strict about them).
    const start = this.at;
    let i = start + 1;
    const t = this.text;
    for (;;) {
      if (i >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(i);
      if (c === 0x22) break; // "
      if (c === 0x5c) i++; // backslash: skip the escaped character
      i++;
    }
    this.at = i + 1;
    try {
      return JSON.parse(t.slice(start, i + 1)) as string;
    } catch {
      this.at = start;
      return this.fail('invalid string');
    }
  }

  private number(): number {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 400));
    if (!match) this.fail('invalid number');
    this.at += match[0].length;
    return Number(match[0]);
  }
}

/** Parses JSON text, rejecting duplicate keys; objects have a null prototype. */
export function parseStrictJson(text: string): JsonValue {
  return new Parser(text).parse();
}
