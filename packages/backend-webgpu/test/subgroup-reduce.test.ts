import { contiguousView, reduceOutputDType, type DType, type HostArray, type Operand, type ReduceOp, type View } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { createWebGPUBackend, type GpuBuffer } from '../src/index.js';
import { reduceShader } from '../src/kernels/reduce.js';
import { crossEntropyShader, softmaxShader } from '../src/kernels/softmax.js';
import { SUBGROUP_BUILTINS, SUBGROUP_DIRECTIVES, subgroupArgExtreme, subgroupSum, subgroupTreeReduce } from '../src/kernels/subgroup-reduce.js';
import { BUFFER_USAGE, MAP_MODE_READ, WGSL_COMMON } from '../src/wgsl-types.js';
import { subgroupsFromEnvironment } from '../src/subgroups.js';
import { testBackend } from './adapter.js';

/**
 * Reductions that fold within subgroups (src/kernels/subgroup-reduce.ts) against the shared-memory kernels they
 * replace and float64 references: odd lengths (not multiples of the workgroup or of any subgroup size), strided
 * views, NaN, ties and infinities for the arg ops, softmax and cross-entropy rows. Each case runs both ways on the
 * same backend (`backend.subgroups`); the subgroup half runs where the device has subgroups (Dawn on lavapipe has).
 */
const backend = await testBackend();

/** The WebGPU suite's reduction tolerance (test/conformance.test.ts), relative to the sum of the absolute terms. */
const REDUCTION = 2e-5;
/** Its tolerance for exp and log (softmax, cross-entropy). */
const TRANSCENDENTAL = 2e-5;

/** Deterministic float32 data in [-1, 1) (a 32-bit LCG), with `offset` added. */
function data(n: number, seed: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 2 ** 23 - 1 + offset;
  }
  return out;
}

/** float64 reference of `op` over each row of `rows` x `length` (row o, element r at `at(o, r)`). */
function reference(op: ReduceOp, x: ArrayLike<number>, rows: number, length: number, at: (o: number, r: number) => number): number[] {
  const out: number[] = [];
  for (let o = 0; o < rows; o++) {
    let acc = op === 'sum' ? 0 : op === 'prod' ? 1 : NaN;
    let best = -1;
    for (let r = 0; r < length; r++) {
      const v = x[at(o, r)];
      if (op === 'sum') acc += v;
      else if (op === 'prod') acc *= v;
      else {
        const better = op === 'max' || op === 'argmax' ? v > acc : v < acc;
        // NaN wins (the first one for the arg ops), then the first of equal values.
        if (best < 0 || (!Number.isNaN(acc) && (Number.isNaN(v) || better))) [acc, best] = [v, r];
      }
    }
    out.push(op === 'argmax' || op === 'argmin' ? best : acc);
  }
  return out;
}

// Kernels compile on first use (lavapipe takes a fraction of a second for each of the dozens here).
describe.runIf(backend !== null)('WebGPU reductions with and without subgroups', { timeout: 60_000 }, () => {
  const b = backend as NonNullable<typeof backend>;
  const upload = (values: HostArray, dtype: DType, view: View): Operand<GpuBuffer> => ({ buffer: b.upload(values, dtype), view, dtype });
  const read = async (buffer: GpuBuffer, dtype: DType): Promise<number[]> =>
    Array.from((await b.read(buffer, dtype, buffer.numel)) as ArrayLike<number | bigint>, Number);
  /** `run`'s values with subgroups on (where supported) and off; the second is always the shared-memory kernels'. */
  const bothWays = async (run: () => GpuBuffer, dtype: DType): Promise<number[][]> => {
    const results: number[][] = [];
    for (const on of b.subgroupsSupported ? [true, false] : [false]) {
      const before = b.subgroups;
      b.subgroups = on;
      try {
        results.push(await read(run(), dtype));
      } finally {
        b.subgroups = before;
      }
    }
    return results;
  };
  /** `rows` x `length` reduced along `length`, contiguous or (transposed) strided. */
  const layouts = (rows: number, length: number) => [
    { name: 'contiguous', view: contiguousView([rows, length]), at: (o: number, r: number) => o * length + r },
    { name: 'strided', view: { shape: [rows, length], strides: [1, rows], offset: 0 }, at: (o: number, r: number) => r * rows + o },
  ];

  it('the device reports subgroups as Dawn on lavapipe has them, on by default unless DESCENT_WEBGPU_SUBGROUPS=0', () => {
    // On lavapipe's Vulkan adapter (CI's), so that the cases below really run both ways there.
    if (b.description.startsWith('Vulkan: mesa software llvmpipe')) expect(b.subgroupsSupported).toBe(true);
    expect(b.subgroups).toBe(b.subgroupsSupported && subgroupsFromEnvironment());
    const saved = process.env.DESCENT_WEBGPU_SUBGROUPS;
    try {
      process.env.DESCENT_WEBGPU_SUBGROUPS = '0';
      expect(subgroupsFromEnvironment()).toBe(false);
      process.env.DESCENT_WEBGPU_SUBGROUPS = '1';
      expect(subgroupsFromEnvironment()).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.DESCENT_WEBGPU_SUBGROUPS;
      else process.env.DESCENT_WEBGPU_SUBGROUPS = saved;
    }
  });

  it('the option forces the fallback, and a device without subgroup_id keeps it', () => {
    expect(createWebGPUBackend({ device: b.device, subgroups: false }).subgroups).toBe(false);
    const without = createWebGPUBackend({ device: b.device, wgslLanguageFeatures: new Set() });
    expect([without.subgroupsSupported, without.subgroups]).toEqual([false, false]);
    expect(() => (without.subgroups = true)).toThrow(/subgroup reductions need the device feature 'subgroups' and the WGSL language feature 'subgroup_id'/);
    without.subgroups = false;
  });

  it.runIf(backend?.subgroupsSupported)('every subgroup variant compiles', async () => {
    const sources: [string, string][] = [['softmax', softmaxShader(2, false, true)], ['crossEntropy', crossEntropyShader(true)]];
    const ops: ReduceOp[] = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const op of ops) if (dtype === 'float32' || !['sum', 'prod'].includes(op)) sources.push([`${op} ${dtype}`, reduceShader(op, dtype, 2, 1, true, true)]);
    }
    const failures: string[] = [];
    for (const [name, code] of sources) {
      const errors = (await b.device.createShaderModule({ code }).getCompilationInfo()).messages.filter((m) => m.type === 'error');
      if (errors.length > 0) failures.push(`${name}: ${errors[0].message}`);
    }
    expect(failures).toEqual([]);
  });

  it('sum and prod of odd lengths agree with float64 and with each other', async () => {
    for (const [rows, length] of [
      [1, 257],
      [3, 1000],
      [2, 4099],
      [1, 100_003],
    ]) {
      for (const { name, view, at } of layouts(rows, length)) {
        const sumData = data(rows * length, rows + length);
        // Factors near 1, so the product neither overflows nor underflows.
        const prodData = data(rows * length, length, 0).map((v) => 1 + v / 256);
        for (const [op, x] of [
          ['sum', sumData],
          ['prod', prodData],
        ] as const) {
          const expected = reference(op, x, rows, length, at);
          const scale = reference(op, x.map(Math.abs), rows, length, at);
          const results = await bothWays(() => b.reduce(op, upload(x, 'float32', view), 1), 'float32');
          for (const got of results) {
            got.forEach((v, o) => expect(Math.abs(v - expected[o]), `${op} ${name} [${rows}, ${length}] row ${o}`).toBeLessThanOrEqual(REDUCTION * scale[o]));
          }
          const [first, last] = [results[0], results[results.length - 1]];
          first.forEach((v, o) => expect(Math.abs(v - last[o]), `${op} both ways`).toBeLessThanOrEqual(REDUCTION * scale[o]));
        }
      }
    }
  });

  it('max, min, argmax and argmin of float32: exact, NaN first, the first of tied values', async () => {
    const length = 1000;
    const base = data(length, 7);
    const withAt = (entries: [number, number][]): Float32Array => {
      const x = base.slice();
      for (const [i, v] of entries) x[i] = v;
      return x;
    };
    const cases: [string, Float32Array][] = [
      ['plain', base],
      // Ties in one subgroup (lanes 2 and 3 of threads 130, 131), in another, and in the same thread (900 = 4 + 7 * 128).
      ['ties', withAt([[900, 5], [555, 5], [131, 5], [130, 5], [900 - 896, -5], [555 - 512, -5], [131 + 128, -5]])],
      ['ties across subgroups', withAt([[9, 5], [130, 5], [999, 5], [100, -5], [3, -5]])],
      ['NaN', withAt([[700, NaN], [300, NaN], [172, NaN], [44 + 512, NaN], [10, 5]])],
      ['infinities', withAt([[20, Infinity], [640, Infinity], [21, -Infinity], [641, -Infinity]])],
      ['all -inf', new Float32Array(length).fill(-Infinity)],
      ['all +inf', new Float32Array(length).fill(Infinity)],
      ['all equal', new Float32Array(length).fill(0.5)],
    ];
    for (const [name, x] of cases) {
      for (const op of ['max', 'min', 'argmax', 'argmin'] as const) {
        const expected = reference(op, x, 1, length, (_, r) => r);
        const results = await bothWays(() => b.reduce(op, upload(x, 'float32', contiguousView([1, length])), 1), reduceOutputDType(op, 'float32'));
        for (const got of results) expect(got, `${op} ${name}`).toEqual(expected);
      }
    }
  });

  it('max, min and the arg ops of int32 and bool over odd lengths, with ties', async () => {
    for (const length of [257, 1031]) {
      const ints = Int32Array.from(data(2 * length, length), (v) => Math.round(v * 40)); // about 80 values: many ties
      const bools = Uint8Array.from(data(2 * length, length + 1), (v) => (v > 0.99 ? 1 : 0));
      for (const { name, view, at } of layouts(2, length)) {
        for (const [dtype, x] of [
          ['int32', ints],
          ['bool', bools],
        ] as const) {
          for (const op of ['max', 'min', 'argmax', 'argmin'] as const) {
            const expected = reference(op, x, 2, length, at);
            const results = await bothWays(() => b.reduce(op, upload(x, dtype, view), 1), reduceOutputDType(op, dtype));
            for (const got of results) expect(got, `${op} ${dtype} ${name} ${length}`).toEqual(expected);
          }
        }
      }
    }
  });

  it('softmax, log-softmax and cross-entropy rows of odd lengths, and NaN rows', async () => {
    for (const [rows, length] of [
      [3, 5],
      [2, 67],
      [2, 1001],
    ]) {
      const x = data(rows * length, length).map((v) => v * 8);
      x[length + 3] = NaN; // row 1 is NaN throughout
      for (const log of [false, true]) {
        const results = await bothWays(() => b.softmax(upload(x, 'float32', contiguousView([rows, length])), log), 'float32');
        for (let o = 0; o < rows; o++) {
          const row = Array.from(x.subarray(o * length, (o + 1) * length));
          const m = Math.max(...row);
          const total = row.reduce((s, v) => s + Math.exp(v - m), 0);
          row.forEach((v, r) => {
            const expected = log ? v - m - Math.log(total) : Math.exp(v - m) / total;
            for (const got of results) {
              const value = got[o * length + r];
              if (Number.isNaN(expected)) expect(value, `softmax row ${o}`).toBeNaN();
              else expect(Math.abs(value - expected), `${log ? 'log' : ''}softmax [${rows}, ${length}] (${o}, ${r})`).toBeLessThanOrEqual(TRANSCENDENTAL * Math.max(1, Math.abs(expected)));
            }
          });
        }
      }
      const target = Int32Array.from({ length: rows }, (_, o) => (o * 7) % length);
      const losses = await bothWays(() => b.crossEntropy(upload(x, 'float32', contiguousView([rows, length])), upload(target, 'int32', contiguousView([rows]))), 'float32');
      for (let o = 0; o < rows; o++) {
        const row = Array.from(x.subarray(o * length, (o + 1) * length));
        const m = Math.max(...row);
        const expected = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m - row[target[o]];
        for (const got of losses) {
          if (Number.isNaN(expected)) expect(got[o]).toBeNaN();
          else expect(Math.abs(got[o] - expected), `crossEntropy [${rows}, ${length}] row ${o}`).toBeLessThanOrEqual(TRANSCENDENTAL * Math.max(1, Math.abs(expected)));
        }
      }
    }
  });

  it.runIf(backend?.subgroupsSupported)('compiles one pipeline per variant, reused on later calls', async () => {
    const x = upload(data(3 * 777, 3), 'float32', contiguousView([3, 777]));
    const pipelines = async () => {
      for (const op of ['sum', 'argmax'] as const) await read(b.reduce(op, x, 1), reduceOutputDType(op, 'float32'));
      await read(b.softmax(x, true), 'float32');
      return b.pipelineCount;
    };
    await bothWays(() => b.reduce('min', x, 1), 'float32'); // warm up whatever else the reads compile
    const counts: number[] = [];
    for (const on of [true, false, true, false]) {
      b.subgroups = on;
      counts.push(await pipelines());
    }
    b.subgroups = true;
    expect(counts[1] - counts[0]).toBeLessThanOrEqual(3);
    expect([counts[2], counts[3]]).toEqual([counts[1], counts[1]]);
  });
});

/** One workgroup of `code`'s `main`; returns `words` u32 words of its binding 0. */
async function runOnce(device: GPUDevice, code: string, words: number): Promise<number[]> {
  const out = device.createBuffer({ size: words * 4, usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC });
  const staging = device.createBuffer({ size: words * 4, usage: BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST });
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, staging, 0, words * 4);
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  await staging.mapAsync(MAP_MODE_READ);
  const values = Array.from(new Uint32Array(staging.getMappedRange().slice(0)));
  staging.unmap();
  return values;
}

describe.runIf(backend?.subgroupsSupported)('the subgroup generators in workgroups of any size', () => {
  const device = (backend as NonNullable<typeof backend>).device;
  /**
   * Sums l + 1 (exact in f32) and finds the first maximum of a value with ties, in a workgroup of `size`; `claimed`
   * is the workgroup size the butterfly is told (another than `size` takes the `subgroupAdd` branch).
   */
  const kernel = (size: number, claimed: number) => `${SUBGROUP_DIRECTIVES}
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
const NONE = 0xffffffffu;
${WGSL_COMMON}
var<workgroup> sums: array<f32, ${size}>;
var<workgroup> vals: array<f32, ${size}>;
var<workgroup> idxs: array<u32, ${size}>;
@compute @workgroup_size(${size})
fn main(@builtin(local_invocation_index) l: u32, ${SUBGROUP_BUILTINS}) {
  let acc = f32(l + 1u);
  let v = f32((l * 7u) % 5u); // the maximum, 4, first at l = 2
${subgroupTreeReduce(subgroupSum('sv', 'acc', '+', claimed), 'sums[sg_id] = sv;', 'sums[l] = sums[l] + sums[l + s];')}
${subgroupTreeReduce(subgroupArgExtreme('bv', 'bi', 'v', 'l', 'max', true), 'vals[sg_id] = bv; idxs[sg_id] = bi;', 'if (vals[l + s] > vals[l] || (vals[l + s] == vals[l] && idxs[l + s] < idxs[l])) { vals[l] = vals[l + s]; idxs[l] = idxs[l + s]; }')}
  if (l == 0u) { out[0] = u32(sums[0]); out[1] = idxs[0]; out[2] = sg_count; }
}`;

  for (const size of [24, 40, 64, 128]) {
    it(`a workgroup of ${size}: every subgroup's slot counted, butterfly or subgroupAdd`, async () => {
      for (const claimed of [size, size + 1]) {
        const [sum, first, count] = await runOnce(device, kernel(size, claimed), 3);
        expect([sum, first], `claimed ${claimed}`).toEqual([(size * (size + 1)) / 2, 2]);
        expect(count).toBeGreaterThanOrEqual(1);
      }
    });
  }
});
