import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { prune } from '../src/utils/index.js';
import { expectSnapshot, expectValues, golden, load, own, type Encoded, type Layer, type Snapshot } from './prune-golden.js';

// Golden values from real PyTorch 1.13: test/fixtures/gen_prune.py writes test/fixtures/prune.json. Each case is a
// script of pruning steps replayed here on the same weights and seed, compared after every step.
interface Step {
  op: string;
  name: string;
  amount: number;
  dim: number;
  n: number | string;
  scores?: number[];
  mask?: number[];
  x: number[];
  xShape: number[];
}
interface ScriptedCase {
  title: string;
  kind: 'Linear' | 'Conv2d';
  init: { weight: Encoded; bias: Encoded };
  pruneSeed: number;
  steps: Step[];
  records: Snapshot[];
}
interface GlobalCase {
  method: 'L1Unstructured' | 'RandomUnstructured';
  amount: number;
  prepruned: boolean;
  seed: number;
  init: Record<'lin' | 'conv', { weight: Encoded; bias: Encoded }>;
  scores: Record<string, number[]>;
  lin: Snapshot;
  conv: Snapshot;
}
const cases = golden.cases as ScriptedCase[];
const globals = golden.global as GlobalCase[];

const order = (n: number | string): torch.NormOrder => (n === 'inf' ? Infinity : n === '-inf' ? -Infinity : (n as torch.NormOrder));

/** How a step is called: the functions with an options object, the functions by position, or the classes' `apply`. */
type Style = 'keywords' | 'positional' | 'classes';

function prunePositionally(m: Layer, step: Step, scores: torch.Tensor | null, mask: () => torch.Tensor, style: Style): void {
  const classes = style === 'classes';
  if (step.op === 'identity') void (classes ? prune.Identity.apply(m, step.name) : prune.identity(m, step.name));
  else if (step.op === 'random_unstructured') {
    void (classes ? prune.RandomUnstructured.apply(m, step.name, step.amount) : prune.randomUnstructured(m, step.name, step.amount));
  } else if (step.op === 'l1_unstructured') {
    void (classes ? prune.L1Unstructured.apply(m, step.name, step.amount, scores) : prune.l1Unstructured(m, step.name, step.amount, scores));
  } else if (step.op === 'random_structured') {
    void (classes ? prune.RandomStructured.apply(m, step.name, step.amount, step.dim) : prune.randomStructured(m, step.name, step.amount, step.dim));
  } else if (step.op === 'ln_structured') {
    const n = order(step.n);
    void (classes ? prune.LnStructured.apply(m, step.name, step.amount, n, step.dim, scores) : prune.lnStructured(m, step.name, step.amount, n, step.dim, scores));
  } else void (classes ? prune.CustomFromMask.apply(m, step.name, mask()) : prune.customFromMask(m, step.name, mask()));
}

function runStep(m: Layer, step: Step, style: Style): Snapshot['forward'] | undefined {
  const shapeOf = (name: string) => own(m)[name].shape;
  const scores = step.scores ? torch.tensor(step.scores).reshape(shapeOf(step.name)) : null;
  const mask = () => torch.tensor(step.mask!).reshape(shapeOf(step.name));
  if (style !== 'keywords' && step.op !== 'remove' && step.op !== 'forward') {
    prunePositionally(m, step, scores, mask, style);
    return undefined;
  }
  switch (step.op) {
    case 'identity':
      prune.identity(m, { name: step.name });
      break;
    case 'random_unstructured':
      prune.randomUnstructured(m, step.name, { amount: step.amount });
      break;
    case 'l1_unstructured':
      prune.l1Unstructured(m, step.name, { amount: step.amount, importanceScores: scores });
      break;
    case 'random_structured':
      prune.randomStructured(m, { name: step.name, amount: step.amount, dim: step.dim });
      break;
    case 'ln_structured':
      prune.lnStructured(m, step.name, { amount: step.amount, n: order(step.n), dim: step.dim, importanceScores: scores });
      break;
    case 'custom_from_mask':
      prune.customFromMask(m, step.name, { mask: mask() });
      break;
    case 'remove':
      if (style === 'keywords') prune.remove(m, { name: step.name });
      else prune.remove(m, step.name);
      break;
    case 'forward': {
      const y = m(torch.tensor(step.x).reshape(step.xShape)) as torch.Tensor;
      y.pow(2).sum().backward();
      const grads = Object.fromEntries(m.namedParameters().map(([n, p]) => [n, p.grad!.reshape(-1).tolist() as number[]]));
      m.zeroGrad({ setToNone: true });
      return { y: y.reshape(-1).tolist() as number[], grads };
    }
    default:
      throw new Error(step.op);
  }
  return undefined;
}

describe('nn.utils.prune against PyTorch 1.13', () => {
  const styles: Style[] = ['keywords', 'positional', 'classes'];
  it.each(cases.flatMap((c) => styles.map((style) => [c.title, style, c] as const)))('%s (%s)', (_, style, c) => {
    const m = (c.kind === 'Linear' ? new nn.Linear(5, 4) : new nn.Conv2d(3, 4, 2)) as Layer;
    load(m, c.init);
    torch.manualSeed(c.pruneSeed);
    c.steps.forEach((step, i) => {
      const label = `step ${i} (${step.op})`;
      const result = runStep(m, step, style);
      expectSnapshot(m, c.records[i], label);
      const expected = c.records[i].forward;
      if (expected) {
        expectValues(torch.tensor(result!.y), expected.y, `${label} output`, 1e-4);
        expect(Object.keys(result!.grads), `${label} gradients`).toEqual(Object.keys(expected.grads));
        for (const [n, g] of Object.entries(expected.grads)) expectValues(torch.tensor(result!.grads[n]), g, `${label} ${n}.grad`, 1e-4);
      }
    });
  });

  it.each(globals.map((g, i) => [`${g.method} amount=${g.amount}${g.prepruned ? ' over earlier masks' : ''} #${i}`, g] as const))('global %s', (_, g) => {
    // Built from the seed as in the generator, so that the earlier random pruning draws what PyTorch's did next.
    torch.manualSeed(g.seed);
    const lin = new nn.Linear(5, 4) as Layer;
    const conv = new nn.Conv2d(3, 4, 2) as Layer;
    load(lin, g.init.lin);
    load(conv, g.init.conv);
    if (g.prepruned) {
      prune.l1Unstructured(lin, 'weight', { amount: 5 });
      prune.randomStructured(conv, 'weight', { amount: 1, dim: 0 });
    }
    const byName = { lin, conv };
    const scores = new Map<readonly [nn.Module, string], torch.Tensor>();
    for (const [key, values] of Object.entries(g.scores)) {
      const [owner, name] = key.split('.') as ['lin' | 'conv', string];
      scores.set([byName[owner], name], torch.tensor(values).reshape(own(byName[owner])[name].shape));
    }
    torch.manualSeed(g.seed + 100);
    const methods = { L1Unstructured: prune.L1Unstructured, RandomUnstructured: prune.RandomUnstructured };
    prune.globalUnstructured(
      [[lin, 'weight'], [conv, 'weight'], [lin, 'bias'], [conv, 'bias']],
      { pruningMethod: methods[g.method], importanceScores: scores.size > 0 ? scores : null, amount: g.amount },
    );
    expectSnapshot(lin, g.lin, 'linear');
    expectSnapshot(conv, g.conv, 'conv');
  });

  it('prunes a bare tensor with BasePruningMethod.prune', () => {
    const b = golden.bare;
    const t = torch.tensor(b.t.data).reshape(b.t.shape);
    const scores = torch.tensor(b.scores).reshape(b.t.shape);
    const defaultMask = torch.tensor(b.defaultMask).reshape(b.t.shape);
    expectValues(new prune.L1Unstructured({ amount: 5 }).prune(t), b.l1, 'l1');
    expectValues(new prune.L1Unstructured(5).prune(t, { importanceScores: scores }), b.l1Scores, 'l1 with scores');
    expectValues(new prune.L1Unstructured(0.5).prune(t, defaultMask), b.l1Default, 'l1 over a mask');
    expectValues(new prune.LnStructured(1, 1, { dim: 0 }).prune(t), b.lnDim0, 'ln along dim 0');
  });

  it('keeps the pruned tensor past the scope of the forward that computed it, and the Parameter past remove', () => {
    const c = cases[0]; // random_unstructured weight 0.3, then a forward pass
    const m = new nn.Linear(5, 4) as Layer;
    load(m, c.init);
    torch.manualSeed(c.pruneSeed);
    const orig = m.weight;
    torch.scope(() => {
      prune.randomUnstructured(m, 'weight', c.steps[0].amount);
      m(torch.tensor(c.steps[1].x).reshape(c.steps[1].xShape));
    });
    expectValues(m.weight, c.records[1].weight, 'weight after the scope');
    prune.remove(m, 'weight');
    expect(m.weight).toBe(orig); // PyTorch's `orig.data = weight.data`: the same Parameter, now pruned
    expectValues(m.weight, c.records[1].weight, 'weight after remove');
  });
});
