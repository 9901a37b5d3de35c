/// <reference types="node" />
// Node-only helpers: the main entry stays browser-safe.
import { readFile } from 'node:fs/promises';
import { CsvDataset, type CsvDatasetOptions } from './csv-dataset.js';

/** Reads a CSV file (UTF-8) into a {@link CsvDataset}. */
export async function readCsvDataset(path: string, options: CsvDatasetOptions): Promise<CsvDataset> {
  return new CsvDataset(await readFile(path, 'utf8'), options);
}
