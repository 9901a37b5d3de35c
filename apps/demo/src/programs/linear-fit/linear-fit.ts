import * as torch from '@descent/torch';
import { formatFixed as fixed, pythonRepr } from '../../python-format.js';
import { valueOf, type RunContext } from '../../run-context.js';
import { LinearRegressionModel } from './linear-regression-model.js';

/**
 * Seed notebook 002: learn y = 2x + 1 from x = 0..10 with a one-neuron model, print the loss of every epoch,
 * plot the true data against the predictions, and save and reload the parameters (`torch.save` / `torch.load`).
 */
export interface LinearFitOptions {
  seed?: number;
  epochs: number;
  lr: number;
  /** Print every n-th epoch's loss (the notebook prints every one). */
  logEvery: number;
  /** Writes `<plot>.png` and `<plot>.svg`; null skips the plot. */
  plot: string | null;
  /** Saves the trained state dict here, then reloads it into a fresh model and checks the predictions. */
  save?: string;
  /** Starts from the state dict saved here instead of fresh random parameters. */
  load?: string;
}

export async function linearFit(context: RunContext, options: LinearFitOptions): Promise<void> {
  const { device, reporter } = context;
  const print = (line = '') => reporter.print(line);
  const xValues = Array.from({ length: 11 }, (_, i) => i);
  const yValues = xValues.map((x) => 2 * x + 1);
  const xTrain = torch.tensor(xValues, { dtype: 'float32', device }).reshape(-1, 1);
  const yTrain = torch.tensor(yValues, { dtype: 'float32', device }).reshape(-1, 1);

  const seedNote = options.seed === undefined ? 'unseeded' : `torch.manualSeed(${options.seed})`;
  print(`## Linear regression on y = 2x + 1 (notebook 002): nn.Linear(1, 1), MSELoss, SGD(lr=${pythonRepr(options.lr)}), ${options.epochs} epochs, ${seedNote}`);
  if (options.seed !== undefined) torch.manualSeed(options.seed);
  const model = new LinearRegressionModel(1, 1);
  if (options.load) {
    model.loadStateDict(await torch.load(options.load));
    print(`Loaded the parameters saved in ${options.load}`);
  }
  model.to(device);
  await printParameters('before training', model, print);

  const criterion = new torch.nn.MSELoss();
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: options.lr });
  const progress = reporter.progress('linear fit', options.epochs);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    optimizer.zeroGrad();
    const outputs = model(xTrain);
    const loss = criterion(outputs, yTrain);
    loss.backward();
    optimizer.step();
    if (epoch % options.logEvery === 0 || epoch === 1) print(`epoch ${epoch}, loss ${pythonRepr(await valueOf(loss))}`);
    await progress.tick(epoch, () => valueOf(loss));
  }
  progress.stop();
  await printParameters('after training', model, print);

  const predicted = torch.noGrad(() => model(xTrain));
  const predictedValues = Array.from(await predicted.dataAsync(), Number);
  print('x, y = 2x + 1, predicted:');
  xValues.forEach((x, i) => print(`${String(x).padStart(2)}  ${String(yValues[i]).padStart(2)}  ${fixed(predictedValues[i], 6).padStart(10)}`));

  if (options.plot !== null) {
    const { writeFitPlot } = await import('../../plot/fit-plot.js'); // Vega and resvg load only when plotting
    const plot = await writeFitPlot(options.plot, { title: 'y = 2x + 1: true data and nn.Linear(1, 1) predictions', x: xValues, yTrue: yValues, yPredicted: predictedValues });
    print(`Plot written to ${plot.pngPath} (${plot.width}x${plot.height}) and ${plot.svgPath}`);
  }

  if (options.save) {
    await torch.save(model.stateDict(), options.save);
    const reloaded = new LinearRegressionModel(1, 1);
    reloaded.loadStateDict(await torch.load(options.save));
    reloaded.to(device);
    const again = Array.from(await torch.noGrad(() => reloaded(xTrain)).dataAsync(), Number);
    const same = again.every((v, i) => v === predictedValues[i]);
    if (!same) throw new Error(`the model reloaded from ${options.save} predicts differently from the one saved`);
    print(`Saved the state dict to ${options.save}; a fresh model loaded from it predicts the same values`);
  }
}

async function printParameters(when: string, model: LinearRegressionModel, print: (line: string) => void): Promise<void> {
  const weight = await valueOf(model.linear.weight);
  const bias = await valueOf(model.linear.bias!);
  print(`${when}: weight = ${fixed(weight, 4)}, bias = ${fixed(bias, 4)}`);
}
