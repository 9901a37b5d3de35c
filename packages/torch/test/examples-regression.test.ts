import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// pytorch/examples regression/main.py translated line by line, as a new user would; fixtures/gen_examples_regression.py
// runs the original on the same seed with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-regression', new URL('./fixtures/', import.meta.url));

const F = torch.nn.functional;
const POLY_DEGREE = 4;
const fmt = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`; // '{:+.2f}'.format(v)

describe('pytorch/examples regression, translated', () => {
  it("follows PyTorch's losses, fits its polynomial and prints its lines", { timeout: 120_000 }, () => {
    torch.manualSeed(2);
    const W_target = torch.randn(POLY_DEGREE, 1).mul(5);
    const b_target = torch.randn(1).mul(5);

    /** Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]. */
    function makeFeatures(x: torch.Tensor): torch.Tensor {
      x = x.unsqueeze(1);
      return torch.cat(Array.from({ length: POLY_DEGREE }, (_, k) => x.pow(k + 1)), 1); // [x ** i for i in range(1, POLY_DEGREE+1)]
    }

    /** Approximated function. */
    const f = (x: torch.Tensor): torch.Tensor => x.mm(W_target).add(b_target.item());

    /** Creates a string description of a polynomial. */
    function polyDesc(W: torch.Tensor, b: torch.Tensor): string {
      let result = 'y = ';
      W.unbind().forEach((w, i) => (result += `${fmt(w.item())} x^${i + 1} `)); // for i, w in enumerate(W)
      result += fmt(b.index(0).item());
      return result;
    }

    /** Builds a batch i.e. (x, f(x)) pair. */
    function getBatch(batchSize = 32): [torch.Tensor, torch.Tensor] {
      const random = torch.randn(batchSize);
      const x = makeFeatures(random);
      const y = f(x);
      return [x, y];
    }

    // Define model
    const fc = new torch.nn.Linear(W_target.size(0), 1);
    const losses: number[] = [];
    let loss = Infinity;
    let batchIdx = 1;
    for (; ; batchIdx++) {
      // Get data
      const [batchX, batchY] = getBatch();
      // Reset gradients
      fc.zeroGrad();
      // Forward pass
      const output = F.smoothL1Loss(fc(batchX), batchY);
      loss = output.item();
      // Backward pass
      output.backward();
      // Apply gradients
      for (const param of fc.parameters()) param.data.add_(param.grad!.mul(-0.1));
      if (batchIdx <= 100) losses.push(loss);
      // Stop criterion
      if (loss < 1e-3 || batchIdx > 2000) break;
    }
    const lines = [
      `Loss: ${loss.toFixed(6)} after ${batchIdx} batches`,
      '==> Learned function:\t' + polyDesc(fc.weight.view(-1), fc.bias!),
      '==> Actual function:\t' + polyDesc(W_target.view(-1), b_target),
    ];

    // The first 100 steps follow PyTorch's losses. After that the runs part: smooth-L1's gradient is the sign of each
    // residual, so a last-bit difference (PyTorch's sgemm sums with FMA; its x ** 4 is Sleef's powf) that flips a
    // small residual's sign changes the step, and such flips compound. Both runs still fit the same polynomial.
    losses.forEach((l, i) => expect(Math.abs(l / golden.losses[i] - 1), `batch ${i + 1}`).toBeLessThan(2e-4));
    expect(lines[0]).toMatch(/^Loss: 0\.000\d{3} after \d+ batches$/);
    expect(lines[2]).toBe(golden.lines[2]); // the actual function: the same random target
    const learned = [...(fc.weight.view(-1).tolist() as number[]), fc.bias!.item()];
    const actual = [...golden.W_target, golden.b_target];
    learned.forEach((w, i) => expect(Math.abs(w - actual[i]), `coefficient ${i}`).toBeLessThan(0.15));
    expect(lines[1]).toMatch(/^==> Learned function:\ty = [+-]\d\.\d\d x\^1 [+-]\d\.\d\d x\^2 [+-]\d\.\d\d x\^3 [+-]\d\.\d\d x\^4 [+-]\d\.\d\d$/);
  });
});
