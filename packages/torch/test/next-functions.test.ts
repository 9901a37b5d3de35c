import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// `gradFn.nextFunctions` against PyTorch's `grad_fn.next_functions` on small graphs (next-functions.json, written by
// tooling/fixtures/gen_next_functions.py).

interface NodeTree {
  name: string;
  next: [NodeTree | null, number][];
}

const graphs: Array<{ name: string; root: NodeTree }> = loadFixture('next-functions', new URL('./fixtures/', import.meta.url)).graphs;

/** The tree below a node, named as PyTorch's `name()` names them. */
function tree(node: torch.GradNode): NodeTree {
  return { name: node.name(), next: node.nextFunctions.map(([n, i]) => [n === null ? null : tree(n), i]) };
}

/** PyTorch's `name()` gives AccumulateGrad its C++ namespace; its repr, and Descent, say `AccumulateGrad`. */
function descentNames(node: NodeTree | null): NodeTree | null {
  if (node === null) return null;
  const name = node.name.replace(/^torch::autograd::/, '');
  return { name, next: node.next.map(([n, i]) => [descentNames(n), i]) };
}

class Split extends torch.autograd.Function {
  static forward(_ctx: torch.autograd.FunctionCtx, x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    return [x.mul(2), x.mul(3)];
  }

  static backward(_ctx: torch.autograd.FunctionCtx, g1: torch.Tensor, g2: torch.Tensor): torch.Tensor {
    return g1.mul(2).add(g2.mul(3));
  }
}

function build(): Map<string, torch.Tensor> {
  torch.manualSeed(0);
  const a = torch.randn(3).requiresGrad_();
  const b = torch.randn(3);
  const w = torch.randn(3, 2).requiresGrad_();
  const x = torch.randn(4, 3);
  const target = torch.randn(4, 2);
  const bias = torch.randn(2).requiresGrad_();
  const [first, second] = Split.apply(a) as [torch.Tensor, torch.Tensor];
  return new Map([
    ['((a * b + 2).unsqueeze(0) @ w).relu().sum()', a.mul(b).add(2).unsqueeze(0).matmul(w).relu().sum()],
    ['(a * a).sub(a.exp()).mean()', a.mul(a).sub(a.exp()).mean()],
    ['mse_loss(addmm(bias, x, w), target)', torch.nn.functional.mseLoss(torch.addmm(bias, x, w), target)],
    ['cat([a, b, a.view(3, 1).t().squeeze(0)]).div(w.sum()).max()', torch.cat([a, b, a.view(3, 1).t().squeeze(0)]).div(w.sum()).max()],
    ['Split.apply(a): second.sub(first).sum()', second.sub(first).sum()],
  ]);
}

describe('gradFn.nextFunctions as PyTorch (next-functions.json)', () => {
  const outputs = build();
  for (const { name, root } of graphs) {
    it(name, () => {
      const y = outputs.get(name);
      if (y === undefined) throw new Error(`no graph ${name}`);
      expect(tree(y.gradFn!)).toEqual(descentNames(root));
    });
  }

  it('reaches the leaves through their AccumulateGrad nodes', () => {
    const a = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const y = a.mul(3);
    const [[accumulate, index], [constant, constantIndex]] = y.gradFn!.nextFunctions;
    expect([index, constant, constantIndex]).toEqual([0, null, 0]);
    expect(String(accumulate)).toBe('<AccumulateGrad object>');
    expect(accumulate!.variable).toBe(a);
    expect(accumulate!.nextFunctions).toEqual([]);
  });
});
