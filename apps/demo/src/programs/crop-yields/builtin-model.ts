import * as torch from '@descent/torch';
import { formatFixed as fixed, pythonRepr } from '../../python-format.js';
import { valueOf, type RunContext } from '../../run-context.js';
import type { BuiltinModelOptions } from './defaults.js';
import { FIFTEEN_REGIONS, NEW_REGION } from './regions.js';

/**
 * Notebook 000's second half: the same regression with PyTorch's built-ins. `nn.Linear(3, 2)`, a `TensorDataset`
 * served by a shuffling `DataLoader`, `F.mseLoss`, `optim.SGD`, and the notebook's `fit(epochs, ...)`.
 *
 * PyTorch's reference trace seeds right before `nn.Linear(3, 2)`; the notebook also printed one batch before
 * training, which draws from the generator, so the demo leaves that peek out to keep PyTorch's shuffle order.
 */
export async function builtinModel(context: RunContext, options: BuiltinModelOptions): Promise<void> {
  const { device, reporter } = context;
  const print = (line = '') => reporter.print(line);
  const { seed, batchSize, lr, epochs } = options;
  const { nn, optim } = torch;
  const { DataLoader, TensorDataset } = torch.utils.data;

  print(
    `## Crop yields with built-ins (notebook 000): nn.Linear(3, 2), TensorDataset, ` +
      `DataLoader(batch_size=${batchSize}, shuffle=True), SGD(lr=${pythonRepr(lr)}), fit(${epochs})`,
  );
  print(`torch.manualSeed(${seed})`);
  torch.manualSeed(seed);
  const inputs = torch.tensor(FIFTEEN_REGIONS.inputs, { dtype: 'float32', device });
  const targets = torch.tensor(FIFTEEN_REGIONS.targets, { dtype: 'float32', device });
  const model = new nn.Linear(3, 2).to(device);
  const trainDl = new DataLoader(new TensorDataset(inputs, targets), batchSize, { shuffle: true });
  print(await model.weight.toStringAsync());
  print(await model.bias!.toStringAsync());

  const lossFn = nn.functional.mseLoss;
  print(`loss before training: ${await lossFn(model(inputs), targets).toStringAsync()}`);
  const optimizer = new optim.SGD(model.parameters(), { lr });

  // The notebook's fit(): every batch of every tenth epoch prints its loss.
  const progress = reporter.progress('fit', epochs * trainDl.length);
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of trainDl) {
      const pred = model(xb);
      const loss = lossFn(pred, yb);
      loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      if ((epoch + 1) % 10 === 0) print(`Epoch [${epoch + 1} / ${epochs}]: Loss: ${fixed(await valueOf(loss), 4)}`);
      await progress.tick(++steps, () => valueOf(loss));
    }
  }
  progress.stop();

  const preds = model(inputs);
  print(`loss on all ${inputs.shape[0]} regions: ${fixed(await valueOf(lossFn(preds, targets)), 4)}`);
  print('preds:');
  print(await preds.toStringAsync());
  print('targets:');
  print(await targets.toStringAsync());
  print('preds - targets:');
  print(await preds.sub(targets).toStringAsync());
  const newRegion = torch.tensor(NEW_REGION, { dtype: 'float32', device });
  print(`Predicted yields (apples, oranges) for a new region [${NEW_REGION.join(', ')}]: ${await model(newRegion).toStringAsync()}`);
}
