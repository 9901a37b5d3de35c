import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, type ConsumerProject } from './support/consumer-project.js';
import { expectDescentFromTarballs, expectSingleCopy, installedNames } from './support/expect-installed.js';

const PACKAGES = ['@descent/nn', '@descent/optim', '@descent/data', '@descent/autograd', '@descent/tensor', '@descent/backend', '@descent/backend-cpu'];

describe('a project that installs nn, optim and data without the WebGPU backend', () => {
  let project: ConsumerProject;
  beforeAll(async () => {
    project = await createConsumerProject('nn-optim-data', PACKAGES);
  });

  it('gets one copy of @descent/tensor, papaparse for CSV, and no WebGPU package at all', () => {
    const names = installedNames(project);
    expect(names).toEqual([...PACKAGES, 'papaparse'].sort());
    expectSingleCopy(project, '@descent/tensor');
    expect(names.filter((name) => /webgpu/.test(name))).toEqual([]);
    expect(names).not.toContain('@descent/torch');
    expectDescentFromTarballs(project);
  });

  it('trains a linear model from a CSV file with DataLoader, nn.Linear, MSELoss and SGD', async () => {
    const result = JSON.parse((await project.node('train.mjs')).stdout);
    expect(result.samples).toBe(64);
    expect(result.initialLoss).toBeGreaterThan(1);
    expect(result.finalLoss).toBeLessThan(1e-4);
    result.weight[0].forEach((w: number, i: number) => expect(w).toBeCloseTo([3, -2][i], 2));
    expect(result.bias[0]).toBeCloseTo(1, 2);
  });

  it('type-checks a strict TypeScript consumer against the installed declarations alone', async () => {
    await expect(project.typecheck()).resolves.toMatchObject({ code: 0 });
  });
});
