import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { initWebGPU } from './webgpu-setup.js';

interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OpFn = (inputs: torch.Tensor[], attrs: Record<string, any>) => torch.Tensor;
const F = torch.nn.functional;

/** The fixture ops as Descent spells them. @descent/nn's tests check the loss cases through its modules too. */
const OPS: Record<string, OpFn> = {
  add: ([a, b]) => a.add(b),
  sub: ([a, b]) => a.sub(b),
  mul: ([a, b]) => a.mul(b),
  div: ([a, b]) => a.div(b),
  pow: ([a, b]) => a.pow(b),
  pow_scalar: ([a], { exponent }) => a.pow(exponent),
  neg: ([a]) => a.neg(),
  exp: ([a]) => a.exp(),
  log: ([a]) => a.log(),
  sqrt: ([a]) => a.sqrt(),
  abs: ([a]) => a.abs(),
  sin: ([a]) => a.sin(),
  cos: ([a]) => a.cos(),
  tanh: ([a]) => a.tanh(),
  sigmoid: ([a]) => a.sigmoid(),
  relu: ([a]) => a.relu(),
  leaky_relu: ([a], { negative_slope }) => torch.leakyRelu(a, negative_slope),
  gelu: ([a]) => torch.gelu(a),
  silu: ([a]) => torch.silu(a),
  softmax: ([a], { dim }) => a.softmax(dim),
  log_softmax: ([a], { dim }) => a.logSoftmax(dim),
  clamp: ([a], { min, max }) => a.clamp(min, max),
  maximum: ([a, b]) => a.maximum(b),
  matmul: ([a, b]) => a.matmul(b),
  mm_t: ([x, w]) => x.matmul(w.t()),
  linear: ([x, w, b]) => F.linear(x, w, b),
  sum: ([a]) => a.sum(),
  sum_dim: ([a], { dim }) => a.sum(dim),
  sum_dim_keepdim: ([a], { dim, keepdim }) => a.sum(dim, { keepdim }),
  sum_dims: ([a], { dim }) => a.sum(dim),
  mean: ([a]) => a.mean(),
  mean_dim: ([a], { dim }) => a.mean(dim),
  var: ([a], { dim, unbiased }) => a.var(dim, { unbiased }),
  std: ([a], { dim, unbiased }) => a.std(dim, { unbiased }),
  max: ([a]) => a.max(),
  max_dim: ([a], { dim }) => a.max(dim).values,
  argmax: ([a], { dim }) => a.argmax(dim),
  transpose: ([a]) => a.transpose(0, 1),
  permute: ([a], { dims }) => a.permute(dims),
  reshape: ([a], { shape }) => a.reshape(shape),
  slice: ([a], { index }) => a.index(...String(index).slice(1, -1).split(',').map((s) => s.trim())),
  cat: (xs, { dim }) => torch.cat(xs, dim),
  stack: (xs, { dim }) => torch.stack(xs, dim),
  where: ([c, a, b]) => torch.where(c.gt(0), a, b),
  gather: ([a], { dim, index }) => a.gather(dim, torch.tensor(index, { device: a.device })),
  mse_loss: ([a, b]) => F.mseLoss(a, b),
  l1_loss: ([a, b]) => F.l1Loss(a, b),
  smooth_l1_loss: ([a, b]) => F.smoothL1Loss(a, b),
  huber_loss: ([a, b], { delta }) => F.huberLoss(a, b, { delta }),
  cross_entropy: ([a], { target }) => F.crossEntropy(a, torch.tensor(target, { device: a.device })),
  nll_loss: ([a], { target }) => F.nllLoss(a.logSoftmax(1), torch.tensor(target, { device: a.device })),
  binary_cross_entropy: ([a, t]) => F.binaryCrossEntropy(a.sigmoid(), t),
  binary_cross_entropy_with_logits: ([a, t]) => F.binaryCrossEntropyWithLogits(a, t),
  seed_model_mse: ([x, w, b, y]) => {
    const diff = x.matmul(w.t()).add(b).sub(y);
    return diff.mul(diff).sum().div(diff.numel());
  },
};

async function expectClose(actual: torch.Tensor, expected: FixtureTensor, rtol: number, atol: number): Promise<void> {
  expect(actual.shape).toEqual(expected.shape);
  const got = (await actual.dataAsync()) as Float32Array; // float32: the caller checks int64 outputs itself
  expected.data.forEach((e, i) => {
    const a = got[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`element ${i}: got ${a}, expected ${e}`);
  });
}

function fromFixture(t: FixtureTensor, device: string): torch.Tensor {
  const data = t.dtype === 'float32' ? Float32Array.from(t.data) : Int32Array.from(t.data);
  const x = torch.fromArray(data, t.shape, { device });
  return t.dtype === 'float32' ? x.requiresGrad_() : x;
}

interface OpCase {
  op: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  attrs: Record<string, any>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream: FixtureTensor | null;
  grads: (FixtureTensor | null)[] | null;
}

const cases: OpCase[] = loadFixture('ops').cases;
const webgpu = await initWebGPU();

it('has a Descent spelling for every fixture op', () => {
  expect(cases.filter((c) => !OPS[c.op]).map((c) => c.op)).toEqual([]);
});

// The same cases on every device; GPU transcendentals are specified to a few ulp, hence its looser tolerance.
const DEVICES = [
  { device: 'cpu', run: true, output: [1e-5, 1e-6], grad: [1e-4, 1e-5] },
  { device: 'webgpu', run: webgpu, output: [2e-5, 1e-5], grad: [2e-4, 2e-5] },
] as const;

for (const { device, run, output, grad } of DEVICES) {
  describe.runIf(run)(`ops.json on ${device} (forward and gradients)`, () => {
    cases.forEach((c, i) => {
      it(`${c.op} ${JSON.stringify(c.attrs)} #${i}`, async () => {
        const inputs = c.inputs.map((t) => fromFixture(t, device));
        const out = OPS[c.op](inputs, c.attrs);
        expect(out.device.type).toBe(device);
        if (c.output.dtype === 'int64') {
          expect(out.dtype).toBe('int64');
          expect(Array.from(await out.dataAsync(), Number)).toEqual(c.output.data);
          return;
        }
        await expectClose(out, c.output, output[0], output[1]);
        if (!c.grads || !c.upstream) return;
        out.mul(fromFixture(c.upstream, device).detach()).sum().backward();
        for (const [k, g] of c.grads.entries()) {
          if (g) await expectClose(inputs[k].grad!, g, grad[0], grad[1]);
          else expect(inputs[k].grad === null || (await inputs[k].grad!.abs().sum().itemAsync()) === 0).toBe(true);
        }
      });
    });
  });
}
