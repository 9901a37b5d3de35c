import { describe, expect, it } from 'vitest';
import { bindArgs, type ArgSpec } from '../src/index.js';

// `def Conv2d.__init__(in_channels, out_channels, kernel_size, stride=1, padding=0)`: each argument by position or
// by keyword, with Python 3.11's TypeErrors (their texts checked against CPython).
const CONV: ArgSpec = { fn: 'Conv2d.__init__', required: ['inChannels', 'outChannels', 'kernelSize'], positional: ['stride', 'padding'] };

describe('bindArgs', () => {
  it('binds named required arguments by position or by keyword', () => {
    const expected = { inChannels: 1, outChannels: 6, kernelSize: 5, padding: 2 };
    expect(bindArgs(CONV, [1, 6, 5, undefined, 2])).toEqual(expected);
    expect(bindArgs(CONV, [1, 6, { kernelSize: 5, padding: 2 }])).toEqual(expected);
    expect(bindArgs(CONV, [{ inChannels: 1, outChannels: 6, kernelSize: 5, padding: 2 }])).toEqual(expected);
    expect(bindArgs(CONV, [1, 6, 5, 1, 2])).toEqual({ ...expected, stride: 1 });
  });

  it("raises Python's TypeErrors", () => {
    expect(() => bindArgs(CONV, [1, 6])).toThrow("Conv2d.__init__() missing 1 required positional argument: 'kernel_size'");
    expect(() => bindArgs(CONV, [1, { padding: 1 }])).toThrow(
      "Conv2d.__init__() missing 2 required positional arguments: 'out_channels' and 'kernel_size'",
    );
    expect(() => bindArgs(CONV, [])).toThrow(
      "Conv2d.__init__() missing 3 required positional arguments: 'in_channels', 'out_channels', and 'kernel_size'",
    );
    expect(() => bindArgs(CONV, [1, 6, 5, { kernelSize: 3 }])).toThrow("Conv2d.__init__() got multiple values for argument 'kernel_size'");
    expect(() => bindArgs(CONV, [1, 6, { kernelSize: 3, kernel: 3 }])).toThrow("Conv2d.__init__() got an unexpected keyword argument 'kernel'");
    expect(() => bindArgs(CONV, [1, 6, 5, 1, 2, 3])).toThrow('Conv2d.__init__() takes from 3 to 5 positional arguments but 6 were given');
    expect(() => bindArgs({ fn: 'f', required: ['a'], positional: [] }, [1, 2])).toThrow('f() takes 1 positional argument but 2 were given');
  });

  it('keeps counting required arguments that the caller took itself', () => {
    const spec: ArgSpec = { fn: 'LSTM', required: 2, positional: ['numLayers'], keywordOnly: ['device'] };
    expect(bindArgs(spec, [3, { device: 'cpu' }])).toEqual({ numLayers: 3, device: 'cpu' });
    expect(() => bindArgs(spec, [1, 2])).toThrow('LSTM() takes from 2 to 3 positional arguments but 4 were given');
    expect(() => bindArgs(spec, [1, { numLayers: 2 }])).toThrow("LSTM() got multiple values for argument 'num_layers'");
  });
});
