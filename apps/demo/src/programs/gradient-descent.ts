import * as torch from '@descent/torch';
import { formatFixed as fixed, pythonRepr } from '../python-format.js';
import { valueOf, type RunContext } from '../run-context.js';

/**
 * Seed notebook 001: fit y = 2x four ways, printing each epoch table with the notebook's own f-strings.
 * 1. NumPy style: the gradient of the MSE written out by hand.  2. Autograd: `backward()` and a `noGrad` update.
 * 3. `nn.MSELoss` and `optim.SGD` on the same bare weight.  4. `nn.Linear(1, 1)`, whose initial weights are random:
 * `--seed` fixes them (PyTorch prints the same table for the same seed).
 */
export interface GradientDescentOptions {
  /** Seed for nn.Linear(1, 1)'s initial weights; unset, the generator's current state is used. */
  seed?: number;
  /** Epochs of the nn.Linear(1, 1) part (the notebook's n_iters = 100). */
  epochs: number;
}

const LEARNING_RATE = 0.01;

export async function gradientDescent(context: RunContext, options: GradientDescentOptions): Promise<void> {
  const { device, reporter } = context;
  const f32 = (data: number | number[] | number[][]) => torch.tensor(data, { dtype: 'float32', device });
  const x = f32([1, 2, 3, 4]);
  const y = f32([2, 4, 6, 8]);
  const print = (line: string) => reporter.print(line);

  print('## Gradient descent on y = 2x, using NumPy-style code: the gradient written out by hand');
  {
    // NumPy's semantics, on the CPU as NumPy runs: `w = 0.0` is a Python float (float64); `w * x` with float32 `x`
    // is float32 (a 0-d float64 meets a float32 array as NumPy's value-based casting does); `learning_rate * dw`
    // is float64 again, so `w` stays float64 while the loss is float32.
    const xs = torch.tensor([1, 2, 3, 4], { dtype: 'float32' });
    const ys = torch.tensor([2, 4, 6, 8], { dtype: 'float32' });
    let w = torch.tensor(0, { dtype: 'float64' });
    const forward = (input: torch.Tensor | number) => w.mul(input);
    print(`Prediction before training: f(5) = ${fixed(forward(5).item(), 3)}`);
    for (let epoch = 0; epoch < 10; epoch++) {
      const yPred = forward(xs);
      const l = yPred.sub(ys).pow(2).mean();
      const dw = xs.mul(2).matmul(yPred.sub(ys)).mean(); // np.dot(2*x, (y_pred-y)).mean(): float32
      w = w.sub(dw.double().mul(LEARNING_RATE));
      print(`epoch: ${epoch + 1}: weight = ${fixed(w.item(), 3)},loss=${fixed(l.item(), 8)}`);
    }
    print(`Prediction after training:f(5) = ${fixed(forward(5).item(), 5)}`);
  }

  print('');
  print('## Using autograd: l.backward(), then w -= learning_rate * w.grad under torch.noGrad');
  {
    const w = torch.tensor(0, { dtype: 'float32', device, requiresGrad: true });
    const forward = (input: torch.Tensor | number) => w.mul(input);
    print(`Prediction before training: f(5) = ${fixed(await valueOf(forward(5)), 3)}`);
    for (let epoch = 0; epoch < 20; epoch++) {
      const l = forward(x).sub(y).pow(2).mean();
      l.backward();
      torch.noGrad(() => w.sub_(w.grad!.mul(LEARNING_RATE)));
      w.grad!.zero_();
      if (epoch % 2 === 0) print(`epoch: ${epoch + 1}: weight = ${fixed(await valueOf(w), 3)},loss=${fixed(await valueOf(l), 8)}`);
    }
    print(`Prediction after training:f(5) = ${fixed(await valueOf(forward(5)), 5)}`);
  }

  print('');
  print('## Training pipeline: nn.MSELoss and optim.SGD([w], lr=0.01) replace the hand-written loss and update');
  {
    const w = torch.tensor(0, { dtype: 'float32', device, requiresGrad: true });
    const forward = (input: torch.Tensor | number) => w.mul(input);
    const loss = new torch.nn.MSELoss();
    const optimizer = new torch.optim.SGD([w], { lr: LEARNING_RATE });
    print(`Prediction before training: f(5) = ${fixed(await valueOf(forward(5)), 3)}`);
    for (let epoch = 0; epoch < 20; epoch++) {
      const l = loss(y, forward(x));
      l.backward();
      optimizer.step();
      optimizer.zeroGrad();
      if (epoch % 2 === 0) print(`epoch: ${epoch + 1}: weight = ${fixed(await valueOf(w), 3)},loss=${fixed(await valueOf(l), 8)}`);
    }
    print(`Prediction after training:f(5) = ${fixed(await valueOf(forward(5)), 5)}`);
  }

  print('');
  const seedNote = options.seed === undefined ? 'unseeded' : `torch.manualSeed(${options.seed})`;
  print(`## nn.Linear(1, 1) replaces the hand-written forward (${seedNote}, ${options.epochs} epochs)`);
  {
    const x2 = f32([[1], [2], [3], [4]]);
    const y2 = f32([[2], [4], [6], [8]]);
    const [nSamples, nFeatures] = x2.shape;
    print(`${nSamples} ${nFeatures}`);
    if (options.seed !== undefined) torch.manualSeed(options.seed);
    const model = new torch.nn.Linear(nFeatures, nFeatures).to(device);
    const xTest = f32([5]);
    print(`Prediction before training: f(5) = ${fixed(await valueOf(model(xTest)), 3)}`);
    const loss = new torch.nn.MSELoss();
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: LEARNING_RATE });
    const progress = reporter.progress('nn.Linear(1, 1)', options.epochs);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const l = loss(y2, model(x2));
      l.backward();
      optimizer.step();
      optimizer.zeroGrad();
      if (epoch % 10 === 0) {
        const [w] = model.parameters();
        const w00 = (await w.dataAsync())[0] as number;
        print(`epoch: ${epoch + 1}: w = ${pythonRepr(w00)} ,l=${fixed(await valueOf(l), 8)}`);
      }
      await progress.tick(epoch + 1, () => valueOf(l));
    }
    progress.stop();
    print(`Prediction after training:f(5) =  ${fixed(await valueOf(model(xTest)), 3)}`);
  }
}
