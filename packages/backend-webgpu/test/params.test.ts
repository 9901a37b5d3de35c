import { describe, expect, it } from 'vitest';
import { copyParams, copyShader, fillParams, fillShader } from '../src/kernels/copy-fill.js';
import { binaryShader, castShader, elementwiseParams, unaryShader, whereShader } from '../src/kernels/elementwise.js';
import { gatherParams, gatherShader, scatterAddParams, scatterAddShader } from '../src/kernels/gather.js';
import { matmulParams, matmulShader } from '../src/kernels/matmul.js';
import { adamParams, adamShader, sgdParams, sgdShader } from '../src/kernels/optimizers.js';
import { f32, f32Bits, paramTable, u32, u32s, view, views, type ParamField, type ParamTable } from '../src/kernels/params.js';
import { reduceParams, reduceShader } from '../src/kernels/reduce.js';
import { crossEntropyParams, crossEntropyShader, softmaxParams, softmaxShader } from '../src/kernels/softmax.js';

/**
 * WGSL's layout rules for the member types the tables use (u32, f32, array<T, N>, structs), implemented apart
 * from the table so the test checks the table's offsets against the language, not against itself.
 */
function wgslLayout(source: string): { structs: Map<string, { offsets: Map<string, number>; size: number; align: number }> } {
  const structs = new Map<string, { offsets: Map<string, number>; size: number; align: number }>();
  const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;
  const typeLayout = (type: string): { size: number; align: number } => {
    if (type === 'u32' || type === 'f32' || type === 'i32') return { size: 4, align: 4 };
    const array = /^array<(.+), (\d+)>$/.exec(type);
    if (array) {
      const element = typeLayout(array[1]);
      return { size: Number(array[2]) * roundUp(element.align, element.size), align: element.align };
    }
    const struct = structs.get(type);
    if (!struct) throw new Error(`unknown WGSL type ${type}`);
    return struct;
  };
  for (const [, name, body] of source.matchAll(/struct (\w+) \{([^}]*)\}/g)) {
    const offsets = new Map<string, number>();
    let end = 0;
    let align = 1;
    for (const member of splitMembers(body)) {
      const [, field, type] = /^(\w+): (.+)$/.exec(member) ?? [];
      const layout = typeLayout(type);
      const offset = roundUp(layout.align, end);
      offsets.set(field, offset);
      end = offset + layout.size;
      align = Math.max(align, layout.align);
    }
    structs.set(name, { offsets, size: roundUp(align, end), align });
  }
  return { structs };
}

/** Struct members: split at commas outside `<...>`. */
function splitMembers(body: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      members.push(current);
      current = '';
    } else current += ch;
  }
  return [...members, current].map((m) => m.trim()).filter(Boolean);
}

const RANKS = [0, 1, 2, 3, 4];
const TABLES: [string, ParamTable<readonly ParamField[]>][] = [
  ...RANKS.flatMap((r) => [1, 2, 3].map((arity) => [`elementwise rank ${r} arity ${arity}`, elementwiseParams(r, arity)] as [string, ParamTable<readonly ParamField[]>])),
  ...RANKS.map((r) => [`copy rank ${r}`, copyParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ...RANKS.map((r) => [`fill rank ${r}`, fillParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ...RANKS.map((r) => [`reduce rank ${r}`, reduceParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ...RANKS.map((r) => [`gather rank ${r}`, gatherParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ...RANKS.map((r) => [`scatterAdd rank ${r}`, scatterAddParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ...RANKS.slice(1).map((r) => [`softmax rank ${r}`, softmaxParams(r)] as [string, ParamTable<readonly ParamField[]>]),
  ['crossEntropy', crossEntropyParams],
  ['matmul', matmulParams],
  ['sgd', sgdParams],
  ['adam', adamParams],
];

describe('kernel parameter tables', () => {
  for (const [name, table] of TABLES) {
    it(`${name}: every field sits where the WGSL struct puts it`, () => {
      const params = wgslLayout(table.wgsl).structs.get('Params');
      expect(params).toBeDefined();
      const at = table.offsets as Record<string, number>;
      table.fields.forEach((field, i) => {
        const offset = params?.offsets.get(field.name);
        const words = (i + 1 < table.fields.length ? at[table.fields[i + 1].name] : table.size) - at[field.name];
        // Zero-length fields (a rank-0 shape) are not in the struct and take no words.
        if (offset === undefined) expect(words).toBe(0);
        else expect(offset / 4).toBe(at[field.name]);
      });
      expect((params?.size ?? 0) / 4).toBe(table.size);
      expect(table.wordExpressions()).toHaveLength(table.size);
    });
  }

  it('packs by name, in declaration order: flags as 0/1, f32 as bits, views as offset then strides', () => {
    const table = paramTable(u32('n'), f32('lr'), u32('flag'), u32s('shape', 2), view('x', 2), views('ins', 1, 2));
    const words = table.pack({ n: 7, lr: 0.1, flag: true, shape: [3, 4], x: { offset: 5, strides: [4, 1] }, ins: [{ offset: 1, strides: [9] }, { offset: 2, strides: [0] }] });
    expect(words).toEqual([7, f32Bits(0.1), 1, 3, 4, 5, 4, 1, 1, 9, 2, 0]);
    expect(table.offsets).toEqual({ n: 0, lr: 1, flag: 2, shape: 3, x: 5, ins: 8 });
    expect(table.size).toBe(words.length);
  });

  it('rejects arrays of the wrong length, which would shift every later field', () => {
    expect(() => reduceParams(2).pack({ outputs: 1, perOutput: 1, shape: [2], xView: { offset: 0, strides: [1, 1] } })).toThrow(/shape: 1 values, expected 2/);
    expect(() => elementwiseParams(1, 2).pack({ numel: 1, shape: [1], inputs: [{ offset: 0, strides: [1] }] })).toThrow(/inputs: 1 views, expected 2/);
  });

  it('a rank-0 view is its offset alone, and a rank-0 shape is left out of the struct', () => {
    const table = elementwiseParams(0, 2);
    expect(table.pack({ numel: 1, shape: [], inputs: [{ offset: 3, strides: [] }, { offset: 4, strides: [] }] })).toEqual([1, 3, 4]);
    expect(table.wgsl).toContain('struct View0 { offset: u32 }');
    expect(table.wgsl).not.toContain('shape');
  });

  it('builds each table once per shader variant', () => {
    expect(elementwiseParams(2, 3)).toBe(elementwiseParams(2, 3));
    expect(elementwiseParams(2, 3)).not.toBe(elementwiseParams(2, 2));
  });
});

describe('kernel sources', () => {
  const sources: [string, string][] = [
    ['unary', unaryShader('exp', 'float32', { rank: 2, contiguous: [false] })],
    ['binary', binaryShader('add', 'int32', 'int32', { rank: 3, contiguous: [false, true] })],
    ['binary bool', binaryShader('maximum', 'bool', 'bool', { rank: 1, contiguous: [true, false] })],
    ['where', whereShader('float32', { rank: 2, contiguous: [false, false, true] })],
    ['cast', castShader('float32', 'int32', { rank: 0, contiguous: [true] })],
    ['copy', copyShader('float32', 3, false, false)],
    ['fill', fillShader('bool', 2, false)],
    ['reduce', reduceShader('argmax', 'float32', 3, 2, true)],
    ['reduce per thread', reduceShader('sum', 'int32', 2, 1, false)],
    ['gather', gatherShader('float32', 3, 1)],
    ['scatterAdd', scatterAddShader('int32', 2, 0)],
    ['matmul', matmulShader('float32')],
    ['softmax', softmaxShader(3, true)],
    ['crossEntropy', crossEntropyShader()],
    ['sgd', sgdShader()],
    ['adam', adamShader()],
  ];

  for (const [name, source] of sources) {
    it(`${name}: reads parameters by name only, none named like a binding`, () => {
      expect(source).not.toMatch(/\bp\[/);
      // A binding bound twice is renamed to the first (adaptSource, by word): a parameter of the same name would be renamed too.
      const bindings = [...source.matchAll(/@binding\(\d+\) var<storage, \w+> (\w+):/g)].map((m) => m[1]);
      const fields = [...source.matchAll(/struct Params \{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/(\w+):/g)].map((f) => f[1]));
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) expect(bindings).not.toContain(field);
    });
  }
});
