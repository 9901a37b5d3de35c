import { describe, expect, it } from 'vitest';
import { parseOptions, resolveOptions } from '../src/options.mjs';

describe('bench-gpu options', () => {
  it('takes the preset from the adapter: small sizes on a software one, the issue sizes on a GPU', () => {
    const lavapipe = resolveOptions({}, true);
    expect(lavapipe.preset).toBe('lavapipe');
    expect(lavapipe.elementwise).toBe(4 * 2 ** 20);
    expect(lavapipe.custom).toBe(false);
    const gpu = resolveOptions({}, false);
    expect(gpu.matmul).toEqual([1024, 2048, 4096]);
    expect(gpu.elementwise).toBe(64 * 2 ** 20);
    expect(gpu.mlp).toEqual([784, 2048, 2048, 10]);
    expect(gpu.batch).toBe(1024);
  });

  it('reads flags over environment variables over the preset', () => {
    const given = parseOptions(['--matmul', '256,512', '--elementwise=64M', '--no-tfjs'], { BENCH_GPU_BATCH: '32', BENCH_GPU_MATMUL: '128' });
    expect(given).toEqual({ matmul: [256, 512], elementwise: 64 * 2 ** 20, batch: 32, tfjs: false });
    const options = resolveOptions(given, true);
    expect(options.matmul).toEqual([256, 512]);
    expect(options.batch).toBe(32);
    expect(options.mlp).toEqual([784, 256, 256, 10]);
    expect(options.custom).toBe(true);
  });

  it('says what was wrong with a bad option', () => {
    expect(() => parseOptions(['--only', 'matmul,conv'], {})).toThrow("Unknown workload 'conv' in --only: use matmul, elementwise, chain, mlp.");
    expect(() => parseOptions(['--elementwise', 'lots'], {})).toThrow("--elementwise expects a whole number >= 1 (e.g. 1024 or 4M), got 'lots'.");
    expect(() => parseOptions(['--mlp', '784'], {})).toThrow('--mlp expects at least input and output widths');
    expect(() => parseOptions(['--fast'], {})).toThrow("Unknown option '--fast'.");
  });
});
