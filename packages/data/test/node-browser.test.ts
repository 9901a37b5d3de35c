import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/node-browser.js';
import * as nodeEntry from '../src/node.js';

// What a browser bundle gets for `@descent/data/node` (the `browser` export condition).
describe('the browser stand-in for @descent/data/node', () => {
  it('exports the same names as the Node entry', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
  });

  it('readCsvDataset rejects when called, saying to pass the CSV text to CsvDataset', async () => {
    await expect(browserEntry.readCsvDataset('points.csv', { target: 'y' })).rejects.toThrow(
      /^readCsvDataset is Node-only .*new CsvDataset\(text, options\)/,
    );
  });
});
