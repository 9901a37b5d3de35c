import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@descent/tensor';
import * as optim from '../src/index.js';
import { camelCase, loadFixture } from './fixtures.js';

// `lr` positionally or in the options, and PyTorch's errors for bad constructor arguments (optim-more.json).

interface OptimizerError {
  optimizer: string;
  lr: number | null;
  kwargs: Record<string, unknown>;
  error: string;
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every optimizer's groups, read by key
type OptimizerClass = new (params: Tensor[], ...args: any[]) => optim.Optimizer<any>;

const CLASSES: Record<string, OptimizerClass> = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
  Adadelta: optim.Adadelta, Adamax: optim.Adamax, NAdam: optim.NAdam, RAdam: optim.RAdam, LBFGS: optim.LBFGS,
};

const param = (): Tensor => tensor([1, 2], { dtype: 'float32', requiresGrad: true });

/** Python writes a whole float as `2.0`, JavaScript as `2`. */
const jsNumbers = (message: string): string => message.replace(/(\d)\.0(?!\d)/g, '$1');

describe('lr positionally, as in PyTorch', () => {
  for (const [name, Optimizer] of Object.entries(CLASSES)) {
    it(`new ${name}(params, 0.05) and new ${name}(params, 0.05, options)`, () => {
      expect(new Optimizer([param()], 0.05).paramGroups[0].lr).toBe(0.05);
      expect(new Optimizer([param()], { lr: 0.05 }).paramGroups[0].lr).toBe(0.05);
      const [key, value] = name === 'LBFGS' ? ['maxIter', 3] : ['weightDecay', 0.1];
      const withOptions = new Optimizer([param()], 0.05, { [key]: value });
      expect(withOptions.paramGroups[0].lr).toBe(0.05);
      expect(withOptions.paramGroups[0][key]).toBe(value);
      expect(withOptions.defaults).toMatchObject({ lr: 0.05 });
    });
  }

  it('SGD with momentum, the form PyTorch code uses most', () => {
    const w = param();
    const optimizer = new optim.SGD([w], 0.5, { momentum: 0.9 });
    expect(optimizer.paramGroups[0]).toEqual({ lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [w] });
    w.grad = tensor([1, 1], { dtype: 'float32' });
    optimizer.step();
    expect(Array.from(w.dataSync() as Float32Array)).toEqual([0.5, 1.5]);
  });

  it('checks a positional lr as a keyword one', () => {
    expect(() => new optim.SGD([param()], -1)).toThrow('Invalid learning rate: -1');
    expect(() => new optim.Adam([param()], null as never)).toThrow('Invalid learning rate: null');
    expect(() => new optim.SGD([param()], { lr: 0.1 } as never, { momentum: 0.9 })).toThrow(
      'SGD.__init__(): the options object must be the last argument',
    );
  });
});

describe("PyTorch's errors for bad constructor arguments (optim-more.json)", () => {
  const errors: OptimizerError[] = loadFixture('optim-more').optimizer_errors;
  for (const { optimizer, lr, kwargs, error, message } of errors) {
    it(`${optimizer}(params${lr === null ? '' : `, ${lr}`}, ${JSON.stringify(kwargs)}): ${message}`, () => {
      const options = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camelCase(k), v]));
      const make = () => (lr === null ? new CLASSES[optimizer]([param()], options) : new CLASSES[optimizer]([param()], lr, options));
      expect(make).toThrow(jsNumbers(message));
      expect(make).toThrow(error === 'TypeError' ? TypeError : RangeError);
    });
  }

  it('names the class PyTorch names: AdamW, not the Adam it extends', () => {
    expect(() => new optim.AdamW([param()], { amsgrad: true, nesterov: true } as never)).toThrow(
      "AdamW.__init__() got an unexpected keyword argument 'nesterov'",
    );
  });
});
