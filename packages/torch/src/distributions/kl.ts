import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { functional as F } from '@descent/nn';
import { Bernoulli } from './bernoulli.js';
import { Categorical } from './categorical.js';
import type { Distribution } from './distribution.js';
import { Normal } from './normal.js';
import { Uniform } from './uniform.js';

type DistributionClass = abstract new (...args: never[]) => Distribution;
type KlFn = (p: never, q: never) => Tensor;

const REGISTRY = new Map<DistributionClass, Map<DistributionClass, KlFn>>();

/** `register_kl(P, Q)`: `registerKl(P, Q)((p, q) => ...)` adds `KL(p || q)` for instances of P and Q (and subclasses). */
export function registerKl<P extends Distribution, Q extends Distribution>(
  typeP: abstract new (...args: never[]) => P,
  typeQ: abstract new (...args: never[]) => Q,
): (fn: (p: P, q: Q) => Tensor) => (p: P, q: Q) => Tensor {
  return (fn) => {
    const row = REGISTRY.get(typeP) ?? new Map<DistributionClass, KlFn>();
    REGISTRY.set(typeP, row.set(typeQ, fn as KlFn));
    return fn;
  };
}

/** The classes of `d` from its own up to Distribution: the most specific registration wins, as in PyTorch. */
function lineage(d: Distribution): DistributionClass[] {
  const out: DistributionClass[] = [];
  for (let proto = Object.getPrototypeOf(d) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    out.push((proto as { constructor: DistributionClass }).constructor);
  }
  return out;
}

/** `kl_divergence(p, q)`: `KL(p || q)`, batched over the distributions' batch shape. */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  for (const typeP of lineage(p)) {
    const row = REGISTRY.get(typeP);
    if (!row) continue;
    for (const typeQ of lineage(q)) {
      const fn = row.get(typeQ);
      if (fn) return (fn as (p: Distribution, q: Distribution) => Tensor)(p, q);
    }
  }
  throw new Error(`No KL(p || q) is implemented for p type ${p.constructor.name} and q type ${q.constructor.name}`);
}

registerKl(Bernoulli, Bernoulli)((p, q) => {
  let t1 = p.probs.mul(F.softplus(q.logits.neg()).sub(F.softplus(p.logits.neg())));
  t1 = t1.maskedFill(q.probs.eq(0), Infinity).maskedFill(p.probs.eq(0), 0);
  let t2 = p.probs.neg().add(1).mul(F.softplus(q.logits).sub(F.softplus(p.logits)));
  t2 = t2.maskedFill(q.probs.eq(1), Infinity).maskedFill(p.probs.eq(1), 0);
  return t1.add(t2);
});

registerKl(Categorical, Categorical)((p, q) => {
  let t = p.probs.mul(p.logits.sub(q.logits));
  t = t.maskedFill(q.probs.eq(0).expandAs(t), Infinity).maskedFill(p.probs.eq(0).expandAs(t), 0);
  return t.sum(-1);
});

registerKl(Normal, Normal)((p, q) => {
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
});

registerKl(Uniform, Uniform)((p, q) => {
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  return result.maskedFill(T.gt(q.low, p.low).logicalOr(T.lt(q.high, p.high)), Infinity);
});
