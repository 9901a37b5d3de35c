#!/usr/bin/env node
// Prints the inputs of the conformance suite's case tables (unary, binary, reduce and cast, every dtype) as JSON,
// for tooling/fixtures/gen_backend_edge_cases.py to run through PyTorch. Reads this package's build: run
// `pnpm turbo run build --filter=@descent/backend-testkit` first.
//
// Values: numbers as JSON numbers, except "nan", "inf", "-inf" and "-0"; int64 values (bigints) as decimal strings.

import { DTYPES } from '@descent/backend';
import { BINARY_CASES } from '../dist/cases/binary.js';
import { BEYOND_32_BITS } from '../dist/cases/case.js';
import { castInputs } from '../dist/cases/cast.js';
import { REDUCE_CASES } from '../dist/cases/reduce.js';
import { UNARY_CASES } from '../dist/cases/unary.js';

function encode(value) {
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return value;
}

const list = (values) => values.map(encode);
const dtypeOf = (key) => key.split(' ')[0];

const cases = [];
for (const [op, { inputs }] of Object.entries(UNARY_CASES)) {
  for (const [key, values] of Object.entries(inputs)) cases.push({ kind: 'unary', op, key, dtype: dtypeOf(key), inputs: [list(values)] });
}
for (const [op, { inputs }] of Object.entries(BINARY_CASES)) {
  for (const [key, { a, b }] of Object.entries(inputs)) cases.push({ kind: 'binary', op, key, dtype: dtypeOf(key), inputs: [list(a), list(b)] });
}
for (const [op, tables] of Object.entries(REDUCE_CASES)) {
  for (const [key, { rows }] of Object.entries(tables)) {
    cases.push({ kind: 'reduce', op, key, dtype: dtypeOf(key), inputs: [list(rows.flat())], columns: rows[0].length });
  }
}
for (const from of DTYPES) {
  for (const to of DTYPES) {
    const { values, wide } = castInputs(from, to);
    cases.push({ kind: 'cast', op: to, key: from, dtype: from, inputs: [list(values)] });
    if (wide) cases.push({ kind: 'cast', op: to, key: `${from} ${BEYOND_32_BITS}`, dtype: from, inputs: [list(wide)] });
  }
}
process.stdout.write(`${JSON.stringify({ cases })}\n`);
