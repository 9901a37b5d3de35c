/**
 * Kernel parameters, declared once per kernel as a table of named fields. The same table packs the values into
 * u32 words in TypeScript (the executor copies them into the parameter arena, bound at binding 0) and declares
 * the WGSL struct the shader reads them through (`params.rows`), so the two cannot disagree on order or offsets.
 *
 * Layout: in a storage buffer, u32, f32, array<u32, N> and the view structs below all align to 4 bytes with no
 * padding, so a field starts at the sum of the words before it. Zero-length arrays (rank-0 shapes) are left
 * out of the struct: WGSL has none, and nothing reads them.
 */

/** A strided view's parameters: the buffer index of element 0 and one stride per axis. */
export interface ViewParams {
  readonly offset: number;
  readonly strides: readonly number[];
}

export type ParamField =
  | { readonly name: string; readonly kind: 'u32' | 'f32' }
  | { readonly name: string; readonly kind: 'u32s'; readonly length: number }
  | { readonly name: string; readonly kind: 'view'; readonly rank: number }
  | { readonly name: string; readonly kind: 'views'; readonly rank: number; readonly count: number };

/** A u32 (a boolean flag packs as 0 or 1). */
export const u32 = <const N extends string>(name: N) => ({ name, kind: 'u32' }) as const;
/** An f32, packed as its bits. */
export const f32 = <const N extends string>(name: N) => ({ name, kind: 'f32' }) as const;
/** `array<u32, length>`: a shape. */
export const u32s = <const N extends string>(name: N, length: number) => ({ name, kind: 'u32s', length }) as const;
/** A strided view of `rank` axes: `params.name.offset`, `params.name.strides[d]`. */
export const view = <const N extends string>(name: N, rank: number) => ({ name, kind: 'view', rank }) as const;
/** `count` views of one rank: `params.name[k].offset`. */
export const views = <const N extends string>(name: N, rank: number, count: number) => ({ name, kind: 'views', rank, count }) as const;

type ValueOf<F> = F extends { kind: 'view' }
  ? ViewParams
  : F extends { kind: 'views' }
    ? readonly ViewParams[]
    : F extends { kind: 'u32s' }
      ? readonly number[]
      : F extends { kind: 'u32' }
        ? number | boolean
        : number;

/** The values a table packs, one per field name. */
export type ParamValues<F extends readonly ParamField[]> = { readonly [K in F[number] as K['name']]: ValueOf<K> };

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The bits of a float32 as a u32 word. */
export function f32Bits(x: number): number {
  F32[0] = x;
  return U32[0];
}

function words(field: ParamField): number {
  switch (field.kind) {
    case 'u32':
    case 'f32':
      return 1;
    case 'u32s':
      return field.length;
    case 'view':
      return 1 + field.rank;
    case 'views':
      return field.count * (1 + field.rank);
  }
}

const viewStruct = (rank: number) => (rank === 0 ? 'View0 { offset: u32 }' : `View${rank} { offset: u32, strides: array<u32, ${rank}> }`);

export class ParamTable<F extends readonly ParamField[]> {
  /** Word offset of each field in the packed parameters (what the WGSL struct layout gives it). */
  readonly offsets: Readonly<Record<F[number]['name'], number>>;
  /** Total words packed. */
  readonly size: number;
  /** The struct and its binding-0 declaration, for the shader's preamble. */
  readonly wgsl: string;

  constructor(readonly fields: F) {
    const offsets: Record<string, number> = {};
    const members: string[] = [];
    const ranks = new Set<number>();
    let at = 0;
    for (const field of fields) {
      offsets[field.name] = at;
      at += words(field);
      if (words(field) === 0) continue;
      if (field.kind === 'view' || field.kind === 'views') ranks.add(field.rank);
      const type =
        field.kind === 'u32s'
          ? `array<u32, ${field.length}>`
          : field.kind === 'view'
            ? `View${field.rank}`
            : field.kind === 'views'
              ? `array<View${field.rank}, ${field.count}>`
              : field.kind;
      members.push(`  ${field.name}: ${type},`);
    }
    this.offsets = offsets as Record<F[number]['name'], number>;
    this.size = at;
    const structs = [...ranks].map((rank) => `struct ${viewStruct(rank)}`);
    this.wgsl = `${structs.join('\n')}
struct Params {
${members.join('\n')}
}
@group(0) @binding(0) var<storage, read> params: Params;`;
  }

  /** The parameter words in the struct's order. Array lengths are checked: a short shape would shift every later field. */
  pack(values: ParamValues<F>): number[] {
    const out: number[] = [];
    const byName = values as unknown as Record<string, number | boolean | readonly number[] | ViewParams | readonly ViewParams[]>;
    for (const field of this.fields) {
      const value = byName[field.name];
      switch (field.kind) {
        case 'u32':
          out.push(Number(value));
          break;
        case 'f32':
          out.push(f32Bits(value as number));
          break;
        case 'u32s':
          pushArray(out, field.name, value as readonly number[], field.length);
          break;
        case 'view':
          pushView(out, field.name, value as ViewParams, field.rank);
          break;
        case 'views': {
          const list = value as readonly ViewParams[];
          if (list.length !== field.count) throw new Error(`kernel parameter ${field.name}: ${list.length} views, expected ${field.count}`);
          for (const v of list) pushView(out, field.name, v, field.rank);
        }
      }
    }
    return out;
  }

  /** WGSL expressions reading each packed word back as a u32, in packing order (the layout, spelled out). */
  wordExpressions(): string[] {
    const out: string[] = [];
    const viewWords = (at: string, rank: number) => {
      out.push(`${at}.offset`);
      for (let d = 0; d < rank; d++) out.push(`${at}.strides[${d}]`);
    };
    for (const field of this.fields) {
      const at = `params.${field.name}`;
      switch (field.kind) {
        case 'u32':
          out.push(at);
          break;
        case 'f32':
          out.push(`bitcast<u32>(${at})`);
          break;
        case 'u32s':
          for (let i = 0; i < field.length; i++) out.push(`${at}[${i}]`);
          break;
        case 'view':
          viewWords(at, field.rank);
          break;
        case 'views':
          for (let k = 0; k < field.count; k++) viewWords(`${at}[${k}]`, field.rank);
      }
    }
    return out;
  }
}

function pushArray(out: number[], name: string, values: readonly number[], length: number): void {
  if (values.length !== length) throw new Error(`kernel parameter ${name}: ${values.length} values, expected ${length}`);
  for (let i = 0; i < length; i++) out.push(values[i]);
}

function pushView(out: number[], name: string, v: ViewParams, rank: number): void {
  out.push(v.offset);
  pushArray(out, `${name}.strides`, v.strides, rank);
}

export function paramTable<const F extends readonly ParamField[]>(...fields: F): ParamTable<F> {
  return new ParamTable(fields);
}

/**
 * Memoizes a table factory by its arguments (a rank, an arity): tables are built once per shader variant, not
 * once per dispatch.
 */
export function tablesBy<A extends readonly (number | string | boolean)[], T>(make: (...args: A) => T): (...args: A) => T {
  const cache = new Map<string, T>();
  return (...args: A) => {
    const key = args.join(',');
    let table = cache.get(key);
    if (table === undefined) cache.set(key, (table = make(...args)));
    return table;
  };
}
