import * as torch from '@descent/torch';
import { formatFixed as fixed, pythonRepr } from '../../python-format.js';
import { valueOf, type RunContext } from '../../run-context.js';
import type { ManualModelSettings, ManualNotebook } from './defaults.js';
import { FIVE_REGIONS } from './regions.js';

/**
 * The crop-yield model written by hand, as notebooks 004 and 000 do: `x @ w.t() + b`, the mean squared error,
 * `backward()`, and a gradient step under `torch.noGrad`.
 *
 * - 004 draws `weights = randn(2, 3)` and `biases = rand(2)` after `torch.manualSeed(1337)`, then runs 100 epochs at
 *   lr 1e-4 and checks `loss.sqrt()` (about 2.4 tons).
 * - 000 draws both with `randn`, takes one step by hand (printing the gradients), then calls its `train_model`,
 *   which runs 10,000 epochs at lr 1e-5 and, as written in the notebook, never zeroes the biases' gradient.
 */
export interface ManualModelOptions extends ManualModelSettings {
  notebook: ManualNotebook;
}

/** How IPython shows the tuple `weights, biases`. */
async function tupleRepr(...tensors: torch.Tensor[]): Promise<string> {
  const reprs = await Promise.all(tensors.map((t) => t.toStringAsync()));
  return `(${reprs.map((r) => r.split('\n').join('\n ')).join(',\n ')})`;
}

export async function manualModel(context: RunContext, options: ManualModelOptions): Promise<void> {
  const { device, reporter } = context;
  const print = (line = '') => reporter.print(line);
  const { notebook, seed, lr, epochs } = options;
  const inputs = torch.tensor(FIVE_REGIONS.inputs, { dtype: 'float32', device });
  const targets = torch.tensor(FIVE_REGIONS.targets, { dtype: 'float32', device });

  const biasDraw = notebook === '004' ? 'rand' : 'randn';
  print(`## Crop yields, the manual model of notebook ${notebook}: x @ w.t() + b, MSE, backward(), update under torch.noGrad`);
  print(`torch.manualSeed(${seed}); weights = torch.randn(2, 3); biases = torch.${biasDraw}(2); lr = ${pythonRepr(lr)}; ${epochs} epochs`);
  torch.manualSeed(seed);
  // Drawn on the CPU so every device starts from PyTorch's numbers, then moved: the moved tensors are the leaves.
  const weights = torch.randn(2, 3).to(device).requiresGrad_();
  const biases = (notebook === '004' ? torch.rand(2) : torch.randn(2)).to(device).requiresGrad_();
  const model = (x: torch.Tensor) => x.matmul(weights.t()).add(biases);
  const mse = (preds: torch.Tensor, t: torch.Tensor) => {
    const diff = preds.sub(t);
    return torch.sum(diff.mul(diff)).div(diff.numel());
  };
  const step = (zeroBiasGrad: boolean) =>
    torch.noGrad(() => {
      weights.sub_(weights.grad!.mul(lr));
      biases.sub_(biases.grad!.mul(lr));
      weights.grad!.zero_();
      if (zeroBiasGrad) biases.grad!.zero_();
    });

  print('weights, biases:');
  print(await tupleRepr(weights, biases));

  if (notebook === '004') {
    let loss: torch.Tensor | null = null;
    const every = Math.max(1, Math.floor(epochs / 10));
    const progress = reporter.progress('manual model', epochs);
    for (let i = 0; i < epochs; i++) {
      loss = model(inputs).sub(targets).pow(2).mean();
      loss.backward();
      step(true);
      if (i === 0 || (i + 1) % every === 0) print(`epoch ${i + 1}: loss = ${fixed(await valueOf(loss), 4)}`);
      const current = loss;
      await progress.tick(i + 1, () => valueOf(current));
    }
    progress.stop();
    if (loss) {
      print(`loss = ${fixed(await valueOf(loss), 4)}`);
      print(`loss.sqrt() = ${fixed(await valueOf(loss.sqrt()), 4)}`);
    }
  } else {
    const preds = model(inputs);
    print('preds:');
    print(await preds.toStringAsync());
    print('targets:');
    print(await targets.toStringAsync());
    let loss = mse(preds, targets);
    print(`loss: ${await loss.toStringAsync()}`);
    loss.backward();
    print('weights.grad, biases.grad:');
    print(await tupleRepr(weights.grad!, biases.grad!));
    torch.noGrad(() => {
      weights.sub_(weights.grad!.mul(lr));
      biases.sub_(biases.grad!.mul(lr));
    });
    loss = mse(model(inputs), targets);
    print(`loss after one step: ${await loss.toStringAsync()}`);
    weights.grad!.zero_();
    biases.grad!.zero_();

    print(`train_model(${epochs}): the biases' gradient is never zeroed in this loop, as in the notebook`);
    const progress = reporter.progress('train_model', epochs);
    for (let i = 0; i < epochs; i++) {
      const l = mse(model(inputs), targets);
      l.backward();
      step(false);
      await progress.tick(i + 1, () => valueOf(l));
    }
    progress.stop();
    print(`loss: ${await mse(model(inputs), targets).toStringAsync()}`);
  }
  print('weights, biases:');
  print(await tupleRepr(weights, biases));
}
