import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, type ConsumerProject } from './support/consumer-project.js';
import { expectDescentFromTarballs, expectSingleCopy, installedNames } from './support/expect-installed.js';

describe('a project that installs only @descent/backend, @descent/backend-cpu and @descent/tensor', () => {
  let project: ConsumerProject;
  beforeAll(async () => {
    project = await createConsumerProject('tensor-only', ['@descent/backend', '@descent/backend-cpu', '@descent/tensor']);
  });

  it('gets those three packages and nothing else: no nn, optim or WebGPU code, no third-party dependency', () => {
    expect(installedNames(project)).toEqual(['@descent/backend', '@descent/backend-cpu', '@descent/tensor']);
    expect(installedNames(project).filter((name) => /nn|optim|webgpu|autograd|data|^descent$/.test(name))).toEqual([]);
    expectSingleCopy(project, '@descent/tensor');
    expectDescentFromTarballs(project);
  });

  it('does tensor math on the embedded CPU backend, with PyTorch values and printing', async () => {
    const result = JSON.parse((await project.node('main.mjs')).stdout);
    expect(result.repr).toBe('tensor([[ 6., 12.],\n        [12., 26.]])');
    expect(result.rowSums).toEqual([18, 38]);
    expect(result.broadcast).toEqual([[11, 22], [13, 24]]);
    // torch.softmax(torch.tensor([[1., 2.], [3., 4.]]), 1) and torch.manual_seed(0); torch.randn(3) in PyTorch 1.13.
    result.softmax.flat().forEach((p: number, i: number) => expect(p).toBeCloseTo([0.268941, 0.731059][i % 2], 6));
    result.randn.forEach((v: number, i: number) => expect(v).toBeCloseTo([1.541, -0.2934, -2.1788][i], 4));
  });

  it('says how to get backward() when @descent/autograd is not there', async () => {
    const { backwardError } = JSON.parse((await project.node('main.mjs')).stdout);
    expect(backwardError).toContain("import '@descent/autograd'");
  });

  it('type-checks a strict TypeScript consumer against the installed declarations alone', async () => {
    await expect(project.typecheck()).resolves.toMatchObject({ code: 0 });
  });
});
