import { describe, expect, it } from 'vitest';
import { elementwiseParams } from '../src/kernels/elementwise.js';
import { scatterAddParams } from '../src/kernels/gather.js';
import { adamParams } from '../src/kernels/optimizers.js';
import type { ParamField, ParamTable } from '../src/kernels/params.js';
import { reduceParams } from '../src/kernels/reduce.js';
import { crossEntropyParams } from '../src/kernels/softmax.js';
import { viewOffsetFn } from '../src/kernels/strided.js';
import { treeReduce, workgroupSlots } from '../src/kernels/tree-reduce.js';
import { BUFFER_USAGE, MAP_MODE_READ } from '../src/wgsl-types.js';
import { testBackend } from './adapter.js';

const backend = await testBackend();

/** Runs one workgroup of `code`'s `main` with `params` (if any) at binding 0; returns `outWords` words of binding 1. */
async function run(device: GPUDevice, code: string, params: readonly number[] | null, outWords: number): Promise<number[]> {
  const storage = (words: number) =>
    device.createBuffer({ size: Math.max(16, words * 4), usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC | BUFFER_USAGE.COPY_DST });
  const out = storage(outWords);
  const staging = device.createBuffer({ size: Math.max(16, outWords * 4), usage: BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST });
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      ...(params ? [{ binding: 0, resource: { buffer: paramsBuffer(device, params) } }] : []),
      { binding: 1, resource: { buffer: out } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(1);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, staging, 0, Math.max(16, outWords * 4));
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  await staging.mapAsync(MAP_MODE_READ);
  const words = Array.from(new Uint32Array(staging.getMappedRange().slice(0, outWords * 4)));
  staging.unmap();
  return words;
}

function paramsBuffer(device: GPUDevice, params: readonly number[]): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(16, params.length * 4), usage: BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_DST });
  device.queue.writeBuffer(buffer, 0, new Uint32Array(params));
  return buffer;
}

describe.runIf(backend !== null)('WGSL generators on a real device', () => {
  const device = backend?.device as GPUDevice;

  // Distinct words everywhere, so a field read from the wrong place shows.
  const cases: [string, ParamTable<readonly ParamField[]>][] = [
    ['elementwise, rank 3, three inputs', elementwiseParams(3, 3)],
    ['elementwise, rank 0', elementwiseParams(0, 2)],
    ['scatterAdd, rank 2', scatterAddParams(2)],
    ['reduce, rank 4', reduceParams(4)],
    ['crossEntropy (views of two ranks)', crossEntropyParams],
    ['adam (f32 fields)', adamParams],
  ];
  for (const [name, table] of cases) {
    it(`${name}: the shader reads every packed word back through the struct`, async () => {
      const params = Array.from({ length: table.size }, (_, i) => 0x01010101 * (i + 1));
      const reads = table.wordExpressions().map((expr, i) => `  out[${i}] = ${expr};`);
      const code = `${table.wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
${reads.join('\n')}
}`;
      expect(await run(device, code, params, table.size)).toEqual(params);
    });
  }

  it('the strided walk gives every element of a transposed, stepped, broadcast view its buffer index', async () => {
    const shape = [2, 3, 4];
    const view = { offset: 5, strides: [0, 1, 6] };
    const table = elementwiseParams(3, 1);
    const n = 24;
    const code = `${table.wgsl}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
${viewOffsetFn('off', 'params.inputs[0u]', 3, false)}
@compute @workgroup_size(1)
fn main() {
  for (var i = 0u; i < params.numel; i++) { out[i] = off(i); }
}`;
    const expected: number[] = [];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) expected.push(5 + a * 0 + b * 1 + c * 6);
    expect(await run(device, code, table.pack({ numel: n, shape, inputs: [view] }), n)).toEqual(expected);
  });

  it('the tree reduction folds a workgroup into slot 0 (a sum, and a max that keeps the first position on ties)', async () => {
    const size = 64;
    const code = `@group(0) @binding(1) var<storage, read_write> out: array<u32>;
${workgroupSlots('sums', 'u32', size)}
${workgroupSlots('best', 'u32', size)}
${workgroupSlots('at', 'u32', size)}
@compute @workgroup_size(${size})
fn main(@builtin(local_invocation_index) l: u32) {
  let v = (l * 37u) % 8u; // the maximum, 7, at l = 3, 11, 19, ...
${treeReduce(size, 'sums[l] = l; best[l] = v; at[l] = l;', 'sums[l] = sums[l] + sums[l + s]; if (best[l + s] > best[l] || (best[l + s] == best[l] && at[l + s] < at[l])) { best[l] = best[l + s]; at[l] = at[l + s]; }')}
  if (l == 0u) { out[0] = sums[0]; out[1] = best[0]; out[2] = at[0]; }
}`;
    const first = Array.from({ length: size }, (_, l) => (l * 37) % 8).indexOf(7);
    expect(await run(device, code, null, 3)).toEqual([(size * (size - 1)) / 2, 7, first]);
  });
});
