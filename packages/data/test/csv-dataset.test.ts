import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvDataset, DataLoader } from '../src/index.js';
import { readCsvDataset } from '../src/node.js';

const crops = [
  'region,temp,rainfall,humidity,apples,oranges',
  'north,73,67,43,56,70',
  'south,91,88,64,81,101',
  'east,87,134,58,119,133',
  'west,102,43,37,22,37',
  '',
].join('\n');

describe('CsvDataset', () => {
  it('reads features and several targets by name', () => {
    const ds = new CsvDataset(crops, { features: ['temp', 'rainfall', 'humidity'], target: ['apples', 'oranges'] });
    expect(ds.length).toBe(4);
    expect(ds.columns).toEqual(['region', 'temp', 'rainfall', 'humidity', 'apples', 'oranges']);
    const [x, y] = ds.tensors;
    expect(x.dtype).toBe('float32');
    expect(x.tolist()).toEqual([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37]]);
    expect(y.tolist()).toEqual([[56, 70], [81, 101], [119, 133], [22, 37]]);
    const [x1, y1] = ds.get(1);
    expect(x1.tolist()).toEqual([91, 88, 64]);
    expect(y1.tolist()).toEqual([81, 101]);
  });

  it('a single target gives one value per sample; features default to the other columns', () => {
    const ds = new CsvDataset('a,b,y\n1.5,-2e-3,1\n.25,inf,0\n', { target: 'y' });
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(ds.tensors[0].tolist()).toEqual([[1.5, Math.fround(-2e-3)], [0.25, Infinity]]);
    expect(ds.tensors[1].shape).toEqual([2]);
    const [xb, yb] = new DataLoader(ds, 2)[Symbol.iterator]().next().value!;
    expect(xb.shape).toEqual([2, 2]);
    expect(yb.tolist()).toEqual([1, 0]);
  });

  it('handles quoting, CRLF line ends, a BOM, blank lines and other delimiters', () => {
    const text = '\ufeff"x";"y"\r\n"1";2\r\n\r\n3;"4"\r\n';
    const ds = new CsvDataset(text, { target: 'y', delimiter: ';' });
    expect(ds.tensors[0].tolist()).toEqual([[1], [3]]);
    expect(ds.tensors[1].tolist()).toEqual([2, 4]);
  });

  it('names the line and column of a non-numeric value', () => {
    const bad = 'temp,rain,y\n1,2,3\n4,five,6\n';
    expect(() => new CsvDataset(bad, { target: 'y' })).toThrow('CSV line 3, column "rain": "five" is not a number');
  });

  it('names the line and column of a missing value, counting blank lines', () => {
    const bad = 'temp,rain,y\n1,2,3\n\n4,,6\n';
    expect(() => new CsvDataset(bad, { target: 'y' })).toThrow('CSV line 4, column "rain": missing value');
  });

  it('counts lines inside quoted fields', () => {
    const text = 'note,x,y\n"two\nlines",1,2\nok,3,x\n';
    expect(() => new CsvDataset(text, { features: ['x'], target: 'y' })).toThrow('CSV line 4, column "y": "x" is not a number');
  });

  it('names the line of a row with the wrong number of columns', () => {
    const bad = 'a,b,y\n1,2,3\n4,5\n';
    expect(() => new CsvDataset(bad, { target: 'y' })).toThrow('CSV line 3: expected 3 columns (a, b, y), got 2');
    expect(() => new CsvDataset('a,b,y\n1,2,3,4\n', { target: 'y' })).toThrow('CSV line 2: expected 3 columns (a, b, y), got 4');
  });

  it('says which columns exist when a name is wrong', () => {
    expect(() => new CsvDataset(crops, { target: 'pears' })).toThrow(
      'CSV has no target column "pears"; its columns are: region, temp, rainfall, humidity, apples, oranges',
    );
    expect(() => new CsvDataset(crops, { target: 'apples' })).toThrow('CSV line 2, column "region": "north" is not a number');
    expect(() => new CsvDataset('', { target: 'y' })).toThrow('CSV is empty');
    expect(() => new CsvDataset('a,a,y\n', { target: 'y' })).toThrow('column "a" appears twice');
  });

  it('reads a file in Node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-csv-'));
    const path = join(dir, 'crops.csv');
    writeFileSync(path, crops);
    const ds = await readCsvDataset(path, { features: ['temp'], target: 'apples' });
    expect(ds.tensors[0].tolist()).toEqual([[73], [91], [87], [102]]);
    expect(ds.tensors[1].tolist()).toEqual([56, 81, 119, 22]);
  });
});
