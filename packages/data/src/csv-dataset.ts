import Papa from 'papaparse';
import { fromArray, type Tensor } from '@descent/tensor';
import { TensorDataset } from './tensor-dataset.js';

export interface CsvDatasetOptions {
  /**
   * The target column (each sample's target is a 0-d tensor, so a batch of targets has shape `[batch]`), or a list of
   * them (each target has shape `[k]`), like pandas' `df['y']` versus `df[['y']]`.
   */
  target: string | readonly string[];
  /** Feature columns, in this order; defaults to every column that is not a target. */
  features?: readonly string[];
  /** Field delimiter; default ','. */
  delimiter?: string;
}

// A plain decimal or scientific number; Python's float() also accepts nan and inf.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

function parseNumber(text: string): number | null {
  const s = text.trim();
  if (DECIMAL.test(s)) return Number(s);
  const special = SPECIAL[s.toLowerCase()];
  return special === undefined ? null : special;
}

interface Row {
  fields: string[];
  line: number;
}

/** Rows with the 1-based line each starts on (quoted fields may span lines; blank lines are skipped). */
function parseRows(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let counted = 0; // text[0, counted) has been scanned for newlines
  let newlines = 0;
  const newlinesBefore = (end: number) => {
    for (; counted < end; counted++) if (text.charCodeAt(counted) === 10) newlines++;
    return newlines;
  };
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: 'greedy',
    step: (result) => {
      const fields = result.data;
      const cursor = result.meta.cursor;
      // cursor sits after the row's terminating newline (or at the end of the text)
      const end = cursor > 0 && text.charCodeAt(cursor - 1) === 10 ? cursor - 1 : cursor;
      const embedded = fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
      const line = newlinesBefore(end) + 1 - embedded;
      const error = result.errors[0];
      if (error) throw new SyntaxError(`CSV line ${line}: ${error.message}`);
      rows.push({ fields, line });
    },
  });
  return rows;
}

function pickColumns(names: readonly string[], wanted: readonly string[], role: string): number[] {
  return wanted.map((name) => {
    const at = names.indexOf(name);
    if (at < 0) throw new RangeError(`CSV has no ${role} column "${name}"; its columns are: ${names.join(', ')}`);
    return at;
  });
}

/**
 * A dataset read from CSV text with a header row (parsed with papaparse): `get(i)` gives `[features, target]`
 * as float32 tensors, and it slices like a {@link TensorDataset}. Only the chosen columns must be numeric, so
 * id or text columns can be left out through `features`. A bad row throws an error naming its line and column.
 *
 * In Node, read a file with `readCsvDataset(path, options)` from `@descent/data/node`.
 */
export class CsvDataset extends TensorDataset<[Tensor, Tensor]> {
  /** Every column name in the header, in order. */
  readonly columns: readonly string[];
  readonly featureNames: readonly string[];
  readonly targetNames: readonly string[];

  constructor(text: string, options: CsvDatasetOptions) {
    const { columns, featureNames, targetNames, features, targets } = parseCsv(text, options);
    super(features, targets);
    this.columns = columns;
    this.featureNames = featureNames;
    this.targetNames = targetNames;
  }
}

function parseCsv(text: string, options: CsvDatasetOptions) {
  if (typeof text !== 'string') throw new TypeError('CsvDataset expects the CSV text as a string');
  if (options?.target === undefined) throw new TypeError('CsvDataset needs a target column: pass { target: "name" }');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // byte order mark
  const rows = parseRows(source, options.delimiter ?? ',');
  if (rows.length === 0) throw new RangeError('CSV is empty: expected a header row');
  const [header, ...body] = rows;
  const columns = header.fields.map((name) => name.trim());
  columns.forEach((name, i) => {
    if (columns.indexOf(name) !== i) throw new RangeError(`CSV line ${header.line}: column "${name}" appears twice in the header`);
  });
  const targetNames = typeof options.target === 'string' ? [options.target] : options.target.slice();
  const featureNames = options.features?.slice() ?? columns.filter((name) => !targetNames.includes(name));
  if (featureNames.length === 0) throw new RangeError('CsvDataset: no feature columns left after removing the targets');
  if (targetNames.length === 0) throw new RangeError('CsvDataset: target names an empty list of columns');
  const featureAt = pickColumns(columns, featureNames, 'feature');
  const targetAt = pickColumns(columns, targetNames, 'target');

  const features = new Float32Array(body.length * featureAt.length);
  const targets = new Float32Array(body.length * targetAt.length);
  body.forEach(({ fields, line }, r) => {
    if (fields.length !== columns.length) {
      throw new RangeError(`CSV line ${line}: expected ${columns.length} columns (${columns.join(', ')}), got ${fields.length}`);
    }
    const read = (column: number) => {
      const value = parseNumber(fields[column]);
      if (value === null) {
        const raw = fields[column].trim();
        throw new TypeError(
          `CSV line ${line}, column "${columns[column]}": ${raw === '' ? 'missing value' : `"${raw}" is not a number`}`,
        );
      }
      return value;
    };
    featureAt.forEach((column, j) => (features[r * featureAt.length + j] = read(column)));
    targetAt.forEach((column, j) => (targets[r * targetAt.length + j] = read(column)));
  });
  const targetShape = typeof options.target === 'string' ? [body.length] : [body.length, targetAt.length];
  return {
    columns,
    featureNames,
    targetNames,
    features: fromArray(features, [body.length, featureAt.length]),
    targets: fromArray(targets, targetShape),
  };
}
