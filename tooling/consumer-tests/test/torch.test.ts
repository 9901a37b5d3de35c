import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, type ConsumerProject } from './support/consumer-project.js';
import { expectDescentFromTarballs, expectSingleCopy, installedNames } from './support/expect-installed.js';

// The umbrella and what it depends on; npm would fetch these from the registry, so they come from the tarballs.
const UMBRELLA = [
  '@descent/torch',
  '@descent/autograd',
  '@descent/backend',
  '@descent/backend-cpu',
  '@descent/backend-webgpu',
  '@descent/data',
  '@descent/nn',
  '@descent/optim',
  '@descent/tensor',
];

describe("a project that installs the umbrella package '@descent/torch'", () => {
  let project: ConsumerProject;
  beforeAll(async () => {
    project = await createConsumerProject('torch', UMBRELLA);
  });

  it('gets the Descent packages once each, their third-party dependencies, and not the optional native webgpu', () => {
    const names = installedNames(project);
    expect(names.filter((name) => name.startsWith('@descent/'))).toEqual([...UMBRELLA].sort());
    expect(names.filter((name) => !UMBRELLA.includes(name))).toEqual(['@webgpu/types', 'papaparse']);
    expect(names).not.toContain('webgpu');
    for (const name of UMBRELLA) expectSingleCopy(project, name);
    expectDescentFromTarballs(project);
  });

  it('runs the seed-004 loop to loss.sqrt() 2.3694, as PyTorch does', async () => {
    const lines = (await project.node('seed-004.mjs')).stdout.split('\n');
    expect(lines).toContain('loss 5.6140');
    expect(lines).toContain('loss.sqrt() 2.3694');
  });

  it('without the optional webgpu package, torch.webgpu.init() says what to install', async () => {
    const lines = (await project.node('seed-004.mjs')).stdout.split('\n');
    expect(lines.find((line) => line.startsWith('webgpu: '))).toMatch(/npm install webgpu/);
  });

  it('type-checks a strict TypeScript consumer (GPU types come with @descent/backend-webgpu)', async () => {
    await expect(project.typecheck()).resolves.toMatchObject({ code: 0 });
  });
});
