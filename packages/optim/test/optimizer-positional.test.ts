import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import { tensor, type Tensor } from '@descent/tensor';
import * as optim from '../src/index.js';
import { fromPyTorchStateDict } from '../src/index.js';
import { camelCase, expectClose, loadFixture } from './fixtures.js';

// Hyperparameters by position, in PyTorch 1.13's order: `new SGD(params, 0.1, 0.9)` is momentum 0.9, RMSprop and
// Adagrad take `foreach` by position before `maximize`. A second value used to be refused ("after lr, pass the other
// hyperparameters in an options object"). fixtures/gen_optim_positional.py writes optimizer-positional.json.

interface Call {
  optimizer: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}
interface Case extends Call {
  group: Record<string, unknown>;
  steps: number[][];
}
interface ErrorCase extends Call {
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every optimizer's constructor, called from JSON
type OptimizerClass = new (params: Tensor[], ...args: any[]) => optim.Optimizer;
const CLASSES: Record<string, OptimizerClass> = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
  Adadelta: optim.Adadelta, Adamax: optim.Adamax, NAdam: optim.NAdam, RAdam: optim.RAdam, Rprop: optim.Rprop,
  ASGD: optim.ASGD, LBFGS: optim.LBFGS, SparseAdam: optim.SparseAdam,
};

const golden = loadFixture('optimizer-positional');
const W0 = [1.0, -2.0, 3.0, 0.5];
const T = [0.5, 1.0, -1.0, 0.25];
const S = [1.0, 2.0, 0.5, 3.0];

/** `new Optimizer(params, ...args, { ...kwargs })`, the keyword arguments camelCased into a trailing options object. */
function construct({ optimizer, args, kwargs }: Call, params: Tensor[]): optim.Optimizer {
  const options = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camelCase(k), v]));
  return new CLASSES[optimizer](params, ...args, ...(Object.keys(options).length > 0 ? [options] : []));
}

const label = (c: Call) => `${c.optimizer}(params, ${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`;

describe('optimizers take PyTorch 1.13 positional hyperparameters', () => {
  it.each((golden.cases as Case[]).map((c) => [label(c), c] as const))('%s', (_, c) => {
    const w = tensor(W0, { dtype: 'float32', requiresGrad: true });
    const opt = construct(c, [w]);
    const { params: _params, ...group } = opt.stateDict().paramGroups[0];
    const { params: _none, ...want } = fromPyTorchStateDict({ state: {}, param_groups: [{ ...c.group, params: [0] }] }).paramGroups[0];
    expect(group).toEqual(want);

    const t = tensor(T), s = tensor(S);
    const closure = () => {
      opt.zeroGrad();
      const loss = s.mul(w.sub(t).pow(2)).sum();
      loss.backward();
      return loss;
    };
    c.steps.forEach((expected, i) => {
      if (c.optimizer === 'LBFGS') opt.step(closure);
      else {
        closure();
        opt.step();
      }
      expectClose(w.dataSync() as Float32Array, expected, 1e-5, 1e-6, `step ${i + 1}`);
    });
  });
});

describe("PyTorch's TypeErrors for a bad call", () => {
  it.each((golden.errors as ErrorCase[]).map((c) => [label(c), c] as const))('%s', (_, c) => {
    const make = () => construct(c, [tensor([0, 0], { requiresGrad: true })]);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(c.message);
  });

  it('the options object comes last, and one only', () => {
    const w = tensor([0, 0], { requiresGrad: true });
    expect(() => new optim.SGD([w], { lr: 0.1 } as never, 0.9)).toThrow('SGD.__init__(): the options object must be the last argument');
  });

  it('refuses the switches Descent does not implement, and takes foreach as a no-op', () => {
    const w = tensor([0, 0], { requiresGrad: true });
    expect(() => new optim.Adam([w], 1e-3, { fused: true })).toThrow('Adam: fused=True is not supported');
    expect(() => new optim.SGD([w], 0.1, { differentiable: true })).toThrow('SGD: differentiable=True is not supported');
    expect(new optim.Adagrad([w], 0.1, 0, 0, 0, 1e-10, true).paramGroups[0]).not.toHaveProperty('foreach');
  });
});
