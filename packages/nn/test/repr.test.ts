import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { BUILD } from './build-modules.js';
import { loadNnExtra } from './fixtures.js';

describe('module printing matches PyTorch repr (nn-extra.json)', () => {
  const cases: { name: string; repr: string }[] = loadNnExtra().reprs;

  it('has a builder for every printed module', () => {
    expect(cases.filter((c) => c.name !== 'parameter' && !BUILD[c.name]).map((c) => c.name)).toEqual([]);
  });

  cases
    .filter((c) => c.name !== 'parameter')
    .forEach((c) => {
      it(c.name, () => {
        const module = BUILD[c.name]();
        expect(String(module)).toBe(c.repr);
        expect(inspect(module)).toBe(c.repr);
      });
    });

  it('prints a Parameter as PyTorch does', () => {
    const expected = cases.find((c) => c.name === 'parameter')!.repr;
    const p = new nn.Parameter(torch.tensor([1.0, 2.5]));
    expect(String(p)).toBe(expected);
    expect(inspect(p)).toBe(expected);
  });

  it('uses extraRepr of user modules', () => {
    class Scale extends nn.Module {
      constructor(readonly factor: number) {
        super();
      }
      override forward(x: torch.Tensor): torch.Tensor {
        return x.mul(this.factor);
      }
      override extraRepr(): string {
        return `factor=${this.factor}`;
      }
    }
    expect(String(new nn.Sequential(new Scale(2)))).toBe('Sequential(\n  (0): Scale(factor=2)\n)');
  });
});
