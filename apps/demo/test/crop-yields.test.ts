// `descent-demo crop-yields` against seed notebooks 004 and 000 and PyTorch's traces in notebooks.json.
import { describe, expect, it } from 'vitest';
import { formatFixed } from '../src/python-format.js';
import { notebookCase } from './fixtures.js';
import { expectClose, numbersIn, runOk, section } from './run-cli.js';

/** The numbers of the `weights, biases` tuple printed after `title` (the last one when `last`). */
function tupleAfter(lines: string[], title: string, last = false): number[] {
  const starts = lines.flatMap((line, i) => (line === title ? [i] : []));
  const start = (last ? starts.at(-1) : starts[0])! + 1;
  const end = lines.findIndex((line, i) => i >= start && line.endsWith('))'));
  return numbersIn(lines.slice(start, end + 1).join('\n').replace(/requires_grad=True/g, ''));
}

/** PyTorch's repr rounds to 4 decimals: the fixture's values as printed. */
const printed4 = (values: number[]) => values.map((v) => Number(formatFixed(v, 4)));

describe('the manual model of notebook 004', () => {
  it("--manual-seed 1337 --lr 1e-4 --epochs 100 reproduces loss.sqrt() = 2.3694 and PyTorch's final weights", async () => {
    const fixture = notebookCase('004 crop yields manual');
    const { lines } = await runOk(['crop-yields', '--only', 'manual', '--manual-seed', '1337', '--lr', '1e-4', '--epochs', '100']);
    expect(lines).toContain(`loss = ${formatFixed(fixture.loss, 4)}`);
    expect(lines).toContain('loss.sqrt() = 2.3694');
    expect(formatFixed(fixture.loss_sqrt, 4)).toBe('2.3694');
    // The initial draws (randn, then rand, after manualSeed(1337)) and the final parameters, to every printed digit.
    expect(tupleAfter(lines, 'weights, biases:')).toEqual(printed4([...fixture.init.weights, ...fixture.init.biases]));
    expect(tupleAfter(lines, 'weights, biases:', true)).toEqual(printed4([...fixture.weights, ...fixture.biases]));
  });

  it('is what crop-yields runs by default', async () => {
    const { lines } = await runOk(['crop-yields', '--only', 'manual']);
    expect(lines).toContain('loss.sqrt() = 2.3694');
    expect(lines[1]).toBe('torch.manualSeed(1337); weights = torch.randn(2, 3); biases = torch.rand(2); lr = 0.0001; 100 epochs');
  });
});

describe('the manual model of notebook 000', () => {
  it("matches PyTorch's first loss, gradients and step, and the 10,000-epoch fit", async () => {
    const fixture = notebookCase('000 crop yields manual');
    const { lines } = await runOk(['crop-yields', '--only', 'manual', '--notebook', '000']);
    expect(tupleAfter(lines, 'weights, biases:')).toEqual(printed4([...fixture.init.weights, ...fixture.init.biases]));
    const lossLine = (prefix: string) => numbersIn(lines.find((l) => l.startsWith(prefix))!.slice(prefix.length))[0];
    expectClose(lossLine('loss: '), fixture.loss0, 1e-6, 5e-5, 'first loss');
    const grads = tupleAfter(lines, 'weights.grad, biases.grad:');
    [...fixture.grad0.weights, ...fixture.grad0.biases].forEach((g: number, i: number) => expectClose(grads[i], g, 1e-5, 5e-5, `grad ${i}`));
    expectClose(lossLine('loss after one step: '), fixture.loss1, 1e-5, 5e-5, 'loss after one step');
    const finalLoss = numbersIn(lines.filter((l) => l.startsWith('loss: ')).at(-1)!)[0];
    expectClose(finalLoss, fixture.final_loss, 1e-3, 5e-5, 'final loss');
    const final = tupleAfter(lines, 'weights, biases:', true);
    [...fixture.weights, ...fixture.biases].forEach((v: number, i: number) => expectClose(final[i], v, 1e-3, 5e-5, `parameter ${i}`));
  });
});

describe.each([
  [0, 5],
  [42, 15],
])('nn.Linear(3, 2) + DataLoader fit, seed %i, batch size %i', (seed, batchSize) => {
  it("follows PyTorch's trace and predicts PyTorch's yields for [75, 63, 44]", async () => {
    const fixture = notebookCase('000 nn.Linear + DataLoader fit', seed);
    expect(fixture.batch_size).toBe(batchSize);
    const { lines } = await runOk(['crop-yields', '--only', 'builtin', '--seed', String(seed), '--batch-size', String(batchSize), '--fit-epochs', String(fixture.epochs)]);
    const body = section(lines, 'Crop yields with built-ins');
    expect(body[0]).toBe(`torch.manualSeed(${seed})`);
    // nn.Linear(3, 2)'s initial weight and bias, as PyTorch prints them.
    expect(numbersIn(body.slice(1, 6).join('\n'))).toEqual(
      printed4([...fixture.init.weight, ...fixture.init.bias]),
    );
    // fit() prints every batch of every tenth epoch; PyTorch's trace kept the last batch's loss.
    const batches = Math.ceil(15 / batchSize);
    for (const { epoch, last_batch_loss: loss } of fixture.trace) {
      const printedLines = body.filter((l) => l.startsWith(`Epoch [${epoch} / ${fixture.epochs}]: Loss: `));
      expect(printedLines).toHaveLength(batches);
      expectClose(numbersIn(printedLines.at(-1)!)[2], loss, 1e-4, 5e-5, `epoch ${epoch}`);
    }
    const finalLoss = numbersIn(body.find((l) => l.startsWith('loss on all 15 regions: '))!.slice(24))[0];
    expectClose(finalLoss, fixture.final_full_loss, 1e-4, 5e-5, 'final loss');
    const prediction = body.find((l) => l.startsWith('Predicted yields (apples, oranges) for a new region [75, 63, 44]: '))!;
    const [apples, oranges] = numbersIn(prediction.split(': ')[1]);
    expectClose(apples, fixture.predict_75_63_44[0], 1e-4, 5e-5, 'apples');
    expectClose(oranges, fixture.predict_75_63_44[1], 1e-4, 5e-5, 'oranges');
    expect(body).toContain('preds - targets:');
  });
});
