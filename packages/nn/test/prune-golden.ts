import { expect } from 'vitest';
import * as torch from '@descent/tensor';
import type * as nn from '../src/index.js';
import { prune } from '../src/utils/index.js';
import { loadFixture } from './fixtures.js';

// What prune.test.ts and prune-subclass.test.ts share: test/fixtures/prune.json (from test/fixtures/gen_prune.py,
// real PyTorch 1.13) and the comparison of a pruned layer with a snapshot PyTorch recorded.
export interface Encoded {
  shape: number[];
  data: number[];
}
export interface Hook {
  type: string;
  name: string;
  methods?: string[];
}
export interface Snapshot {
  params: string[];
  buffers: string[];
  keys: string[];
  state: Record<string, number[]>;
  weight: number[];
  bias: number[];
  weightGradFn: string | null;
  hooks: Hook[];
  isPruned: boolean;
  forward?: { y: number[]; grads: Record<string, number[]> };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export const golden: any = loadFixture('prune', new URL('./fixtures/', import.meta.url));
export type Layer = nn.Module & { weight: torch.Tensor; bias: torch.Tensor };
export const own = (m: nn.Module): Record<string, torch.Tensor> => m as unknown as Record<string, torch.Tensor>;

export function expectValues(actual: torch.Tensor, expected: number[], label: string, tol = 1e-5): void {
  const got = actual.reshape(-1).tolist() as number[];
  expect(got.length, `${label} size`).toBe(expected.length);
  got.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > tol * (1 + Math.abs(expected[i]))) throw new Error(`${label} element ${i}: got ${a}, expected ${expected[i]}`);
  });
}

export function load(layer: Layer, init: { weight: Encoded; bias: Encoded }): void {
  torch.noGrad(() => {
    layer.weight.copy_(torch.tensor(init.weight.data).reshape(init.weight.shape));
    layer.bias.copy_(torch.tensor(init.bias.data).reshape(init.bias.shape));
  });
}

function hooksOf(m: nn.Module): Hook[] {
  return [...m._forwardPreHooks.values()].map((hook) => {
    if (!(hook instanceof prune.BasePruningMethod)) throw new Error('not a pruning hook');
    const entry: Hook = { type: hook.constructor.name, name: hook._tensorName };
    if (hook instanceof prune.PruningContainer) entry.methods = [...hook].map((h) => h.constructor.name);
    return entry;
  });
}

export function expectSnapshot(m: Layer, s: Snapshot, label: string): void {
  expect(m.namedParameters().map(([n]) => n), `${label} parameters`).toEqual(s.params);
  expect(m.namedBuffers().map(([n]) => n), `${label} buffers`).toEqual(s.buffers);
  const state = m.stateDict();
  expect(Object.keys(state), `${label} state_dict keys`).toEqual(s.keys);
  for (const [key, values] of Object.entries(s.state)) expectValues(state[key], values, `${label} ${key}`);
  expectValues(m.weight, s.weight, `${label} weight`);
  expectValues(m.bias, s.bias, `${label} bias`);
  expect(m.weight.gradFn?.name() ?? null, `${label} weight grad_fn`).toBe(s.weightGradFn);
  expect(hooksOf(m), `${label} hooks`).toEqual(s.hooks);
  expect(prune.isPruned(m), `${label} is_pruned`).toBe(s.isPruned);
}
