// `@descent/data/node` in a browser bundle (the package's `browser` export condition picks this file): the same
// names as ./node.ts, failing when called with what to do instead, so no bundler meets node:fs.
import type * as nodeEntry from './node.js';

export const readCsvDataset: typeof nodeEntry.readCsvDataset = async () => {
  throw new Error(
    "readCsvDataset is Node-only (it reads a file): in a browser, fetch or read the file's text and pass it to new CsvDataset(text, options).",
  );
};
