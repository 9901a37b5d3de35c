import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

interface OpCase {
  op: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  attrs: Record<string, any>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream: FixtureTensor | null;
  grads: (FixtureTensor | null)[] | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OpFn = (inputs: Tensor[], attrs: Record<string, any>) => Tensor;

/** How each fixture op is spelled in Descent. Loss cases live in @descent/nn's tests. */
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
  linear: ([x, w, b]) => x.matmul(w.t()).add(b),
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
  gather: ([a], { dim, index }) => a.gather(dim, torch.tensor(index)),
  seed_model_mse: ([x, w, b, y]) => {
    const diff = x.matmul(w.t()).add(b).sub(y);
    return diff.mul(diff).sum().div(diff.numel());
  },
};

const LOSSES = new Set([
  'mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss', 'cross_entropy', 'nll_loss', 'binary_cross_entropy',
  'binary_cross_entropy_with_logits',
]);

const cases: OpCase[] = loadFixture('ops').cases;

describe('ops.json on the CPU backend', () => {
  it('has a Descent spelling for every non-loss fixture op', () => {
    const missing = cases.filter((c) => !LOSSES.has(c.op) && !OPS[c.op]).map((c) => c.op);
    expect(missing).toEqual([]);
  });

  cases
    .filter((c) => OPS[c.op])
    .forEach((c, i) => {
      it(`${c.op} ${JSON.stringify(c.attrs)} #${i}`, () => {
        const inputs = c.inputs.map((t) => fromFixture(t, t.dtype === 'float32'));
        const out = OPS[c.op](inputs, c.attrs);
        if (c.output.dtype === 'int64') {
          expect(out.dtype).toBe('int32');
          expect(Array.from(out.dataSync())).toEqual(c.output.data);
          return;
        }
        expectClose(out, c.output);
        if (!c.grads || !c.upstream) return;
        out.mul(fromFixture(c.upstream)).sum().backward();
        c.grads.forEach((g, k) => {
          if (g === null) {
            expect(inputs[k].grad === null || inputs[k].grad!.abs().sum().item() === 0).toBe(true);
          } else {
            expect(inputs[k].grad, `grad of input ${k}`).not.toBeNull();
            expectClose(inputs[k].grad!, g, 1e-4, 1e-5);
          }
        });
      });
    });
});
