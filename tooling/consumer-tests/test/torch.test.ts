import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, type ConsumerProject } from './support/consumer-project.js';
import { expectDescentFromTarballs, expectSingleCopy, installedNames } from './support/expect-installed.js';
import { UMBRELLA } from './support/umbrella.js';

// What the type-check fixtures need beyond the umbrella, from the registry (the workspace's version of @types/node).
const TOOLS = ['@types/node@20.19.43'];

describe("a project that installs the umbrella package '@descent/torch'", () => {
  let project: ConsumerProject;
  beforeAll(async () => {
    project = await createConsumerProject('torch', UMBRELLA, { registry: TOOLS });
  });

  it('gets the Descent packages once each, their third-party dependencies, and not the optional native webgpu', () => {
    const names = installedNames(project);
    expect(names.filter((name) => name.startsWith('@descent/'))).toEqual([...UMBRELLA].sort());
    // @types/node and its undici-types are this project's own (TOOLS), not the umbrella's.
    expect(names.filter((name) => !UMBRELLA.includes(name))).toEqual(['@types/node', '@webgpu/types', 'papaparse', 'undici-types']);
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

  it('type-checks a strict Node consumer with no DOM lib: the umbrella pulls in no WebGPU types', async () => {
    await expect(project.typecheck()).resolves.toMatchObject({ code: 0 });
  });

  it('type-checks a consumer that opts in to @webgpu/types and passes its own GPUDevice to torch.webgpu.init', async () => {
    await expect(project.typecheck('tsconfig.webgpu.json')).resolves.toMatchObject({ code: 0 });
  });
});
