import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples time_sequence_prediction (generate_sine_wave.py and train.py) translated line by line, as a new
// user would, scaled down; fixtures/gen_examples_time_sequence.py runs the original on the same seeds with real
// PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-time-sequence', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const [L, N, STEPS, FUTURE] = [40, 6, 2, 20];

class Sequence extends nn.Module {
  lstm1 = new nn.LSTMCell(1, 51);
  lstm2 = new nn.LSTMCell(51, 51);
  linear = new nn.Linear(51, 1);

  override forward(input: torch.Tensor, future = 0): torch.Tensor {
    const outputs: torch.Tensor[] = [];
    let hT = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let cT = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let hT2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let cT2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let output!: torch.Tensor;

    for (const inputT of input.split(1, 1)) {
      [hT, cT] = this.lstm1(inputT, [hT, cT]);
      [hT2, cT2] = this.lstm2(hT, [hT2, cT2]);
      output = this.linear(hT2);
      outputs.push(output);
    }
    for (let i = 0; i < future; i++) {
      // if we should predict the future
      [hT, cT] = this.lstm1(output, [hT, cT]);
      [hT2, cT2] = this.lstm2(hT, [hT2, cT2]);
      output = this.linear(hT2);
      outputs.push(output);
    }
    return torch.cat(outputs, 1);
  }
}

describe('pytorch/examples time_sequence_prediction, translated', () => {
  it("fits the sine waves in float64 with LBFGS to PyTorch's losses and predictions", { timeout: 120_000 }, () => {
    // data = torch.load('traindata.pt'): generate_sine_wave.py's float64 sine waves, as the fixture stores them
    const data = torch.tensor(golden.data, { dtype: 'float64' }).reshape(N, L);
    // train.py
    torch.manualSeed(0);
    const input = data.slice(0, 3).slice(1, 0, -1); // data[3:, :-1]
    const target = data.slice(0, 3).slice(1, 1); // data[3:, 1:]
    const testInput = data.slice(0, 0, 3).slice(1, 0, -1);
    const testTarget = data.slice(0, 0, 3).slice(1, 1);
    // build the model
    const seq = new Sequence();
    seq.double();
    const criterion = new nn.MSELoss();
    // use LBFGS as optimizer since we can load the whole data to train
    const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
    const losses: number[] = [];
    const testLosses: number[] = [];
    let y!: number[][];
    // begin to train
    for (let i = 0; i < STEPS; i++) {
      const closure = () => {
        optimizer.zeroGrad();
        const out = seq(input);
        const loss = criterion(out, target);
        losses.push(loss.item());
        loss.backward();
        return loss;
      };
      optimizer.step(closure);
      // begin to predict, no need to track gradient here
      torch.noGrad(() => {
        const future = FUTURE;
        const pred = seq(testInput, future);
        const loss = criterion(pred.slice(1, 0, -future), testTarget); // pred[:, :-future]
        testLosses.push(loss.item());
        y = pred.detach().tolist() as number[][];
      });
    }

    expect(losses.length).toBe(golden.losses.length);
    losses.forEach((loss, i) => expect(Math.abs(loss / golden.losses[i] - 1), `closure ${i}`).toBeLessThan(1e-8));
    testLosses.forEach((loss, i) => expect(Math.abs(loss / golden.test_losses[i] - 1), `test ${i}`).toBeLessThan(1e-8));
    expect([y.length, y[0].length]).toEqual(golden.y_shape);
    y.forEach((row, i) => expect(row.at(-1)).toBeCloseTo(golden.y_last[i], 10));
  });
});
