// `descent-demo gradient-descent` against seed notebook 001 and PyTorch's traces in notebooks.json.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatFixed } from '../src/python-format.js';
import { notebookCase } from './fixtures.js';
import { expectClose, numbersIn, runOk, section } from './run-cli.js';

interface TraceRow {
  epoch: number;
  w: number;
  loss: number;
}

/**
 * The NumPy table as the notebook printed it (shared/seeds/001): NumPy 1.x kept `w` (a Python float updated by
 * `learning_rate * dw`) in float64, while the loss was float32.
 */
const NOTEBOOK_NUMPY_TABLE = [
  'Prediction before training: f(5) = 0.000',
  'epoch: 1: weight = 1.200,loss=30.00000000',
  'epoch: 2: weight = 1.680,loss=4.79999924',
  'epoch: 3: weight = 1.872,loss=0.76800019',
  'epoch: 4: weight = 1.949,loss=0.12288000',
  'epoch: 5: weight = 1.980,loss=0.01966083',
  'epoch: 6: weight = 1.992,loss=0.00314574',
  'epoch: 7: weight = 1.997,loss=0.00050331',
  'epoch: 8: weight = 1.999,loss=0.00008053',
  'epoch: 9: weight = 1.999,loss=0.00001288',
  'epoch: 10: weight = 2.000,loss=0.00000206',
  'Prediction after training:f(5) = 9.99895',
];

/** The autograd and training-pipeline tables as the notebook printed them: the two give the same numbers. */
const NOTEBOOK_TORCH_TABLE = [
  'Prediction before training: f(5) = 0.000',
  'epoch: 1: weight = 0.300,loss=30.00000000',
  'epoch: 3: weight = 0.772,loss=15.66018772',
  'epoch: 5: weight = 1.113,loss=8.17471695',
  'epoch: 7: weight = 1.359,loss=4.26725292',
  'epoch: 9: weight = 1.537,loss=2.22753215',
  'epoch: 11: weight = 1.665,loss=1.16278565',
  'epoch: 13: weight = 1.758,loss=0.60698116',
  'epoch: 15: weight = 1.825,loss=0.31684780',
  'epoch: 17: weight = 1.874,loss=0.16539653',
  'epoch: 19: weight = 1.909,loss=0.08633806',
  'Prediction after training:f(5) = 9.61241',
];

let seed0: string[];
let seed42: string[];

beforeAll(async () => {
  [seed0, seed42] = (await Promise.all([runOk(['gradient-descent', '--seed', '0']), runOk(['gradient-descent', '--seed', '42'])])).map(
    (r) => r.lines,
  );
});

/** The notebook's f'epoch: {epoch+1}: weight = {w:.3f},loss={l:.8f}' line for one row of a trace. */
const epochLine = (row: TraceRow) => `epoch: ${row.epoch}: weight = ${formatFixed(row.w, 3)},loss=${formatFixed(row.loss, 8)}`;

describe('the NumPy-style table (gradient written by hand)', () => {
  it('prints what NumPy printed in the notebook, every line', () => {
    expect(section(seed0, 'NumPy-style').filter((l) => l !== '')).toEqual(NOTEBOOK_NUMPY_TABLE);
  });
});

describe.each([
  ['autograd', 'Using autograd'],
  ['MSELoss + SGD', 'Training pipeline'],
])('the %s table', (_name, title) => {
  it('prints what PyTorch printed in the notebook, every line (float32 sums in PyTorch\'s order)', () => {
    expect(section(seed0, title).filter((l) => l !== '')).toEqual(NOTEBOOK_TORCH_TABLE);
  });

  it("agrees with PyTorch's recorded trace at every printed epoch", () => {
    const fixture = notebookCase('001 torch autograd');
    const lines = section(seed0, title).filter((l) => l !== '');
    const rows = fixture.trace.filter((row: TraceRow) => row.epoch % 2 === 1);
    expect(lines.slice(1, -1)).toEqual(rows.map(epochLine));
  });
});

describe.each([0, 42])('nn.Linear(1, 1) with --seed %i', (seed) => {
  it("prints PyTorch's table for that seed", () => {
    const fixture = notebookCase('001 nn.Linear(1,1)', seed);
    const lines = section(seed === 0 ? seed0 : seed42, 'nn.Linear(1, 1)').filter((l) => l !== '');
    expect(lines[0]).toBe('4 1');
    expect(lines[1]).toBe(`Prediction before training: f(5) = ${formatFixed(fixture.before_f5, 3)}`);
    const rows = lines.slice(2, -1);
    expect(rows).toHaveLength(fixture.trace.length);
    fixture.trace.forEach((row: TraceRow, i: number) => {
      const match = /^epoch: (\d+): w = (\S+) ,l=(\d+\.\d{8})$/.exec(rows[i]);
      expect(match, rows[i]).not.toBeNull();
      expect(Number(match![1])).toBe(row.epoch);
      expectClose(Number(match![2]), row.w, 1e-6, 0, `epoch ${row.epoch} w`);
      expectClose(Number(match![3]), row.loss, 1e-5, 5e-9, `epoch ${row.epoch} loss`);
    });
    expect(lines.at(-1)).toBe(`Prediction after training:f(5) =  ${formatFixed(fixture.f5, 3)}`);
  });
});

it('prints w[0][0] as Python prints a float: the shortest digits that round-trip', () => {
  const w = numbersIn(section(seed0, 'nn.Linear(1, 1)').find((l) => l.startsWith('epoch: 1:'))!)[1];
  expect(Math.fround(w)).toBe(w); // a float32 value, printed with all the digits Python shows
});
