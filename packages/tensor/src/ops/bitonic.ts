import { INTEGER_RANGE } from '@descent/backend';
import { isFloating } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { full, tensor } from './creation.js';
import { cat, gather, where } from './indexing.js';

/**
 * A stable argsort along the last axis composed from primitives (gather, comparisons, where), for backends without
 * an `argsort` kernel: a bitonic sorting network over the row padded to a power of two, comparing (value, position)
 * pairs so equal values keep their order and NaN sorts as the largest value. log2(m) * (log2(m) + 1) / 2 steps of a
 * few elementwise ops each.
 */
export function bitonicArgsort(x: Tensor, descending: boolean): Tensor {
  const shape = x.shape;
  const n = shape[shape.length - 1];
  if (n <= 1) return full(shape, 0, { dtype: 'int64', device: x.device });
  const m = 2 ** Math.ceil(Math.log2(n));
  const lead = shape.slice(0, -1);
  const padded = [...lead, m];
  const keys0 = x.dtype === 'bool' ? x.to('int32') : x;
  // Padding sorts after every real element: NaN (the largest) ascending, the smallest value descending; ties with a
  // real value go by position, and the padding's positions come last.
  const padValue = descending ? smallest(keys0) : isFloating(keys0.dtype) ? NaN : largest(keys0);
  let keys = m === n ? keys0 : cat([keys0, full([...lead, m - n], padValue, { dtype: keys0.dtype, device: x.device })], -1);
  let positions = tensor(Array.from({ length: m }, (_, i) => i), { dtype: 'int64', device: x.device }).expand(padded);
  const floating = isFloating(keys0.dtype);
  for (let k = 2; k <= m; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) {
      const partnerOf = Array.from({ length: m }, (_, i) => i ^ j);
      // The lower element of an ascending block (or the upper of a descending one) keeps the pair's first.
      const wantFirst = Array.from({ length: m }, (_, i) => (i & k) === 0 === i < (i ^ j));
      const partner = tensor(partnerOf, { dtype: 'int64', device: x.device }).expand(padded);
      const otherKeys = gather(keys, -1, partner);
      const otherPositions = gather(positions, -1, partner);
      const selfFirst = comesFirst(keys, positions, otherKeys, otherPositions, descending, floating);
      const keep = selfFirst.eq(tensor(wantFirst, { device: x.device }));
      keys = where(keep, keys, otherKeys);
      positions = where(keep, positions, otherPositions);
    }
  }
  return positions.narrow(-1, 0, n).contiguous();
}

/** Whether (a, ia) sorts before (b, ib): by value (NaN largest), reversed when descending, then by position. */
function comesFirst(a: Tensor, ia: Tensor, b: Tensor, ib: Tensor, descending: boolean, floating: boolean): Tensor {
  const [lo, hi] = descending ? [b, a] : [a, b];
  let less = lo.lt(hi);
  let equal = a.eq(b);
  if (floating) {
    const loNaN = lo.ne(lo);
    const hiNaN = hi.ne(hi);
    less = less.logicalOr(hiNaN.logicalAnd(loNaN.logicalNot()));
    equal = equal.logicalOr(loNaN.logicalAnd(hiNaN));
  }
  return less.logicalOr(equal.logicalAnd(ia.lt(ib)));
}

function smallest(x: Tensor): number {
  return isFloating(x.dtype) ? -Infinity : (INTEGER_RANGE[x.dtype]?.[0] ?? 0);
}

function largest(x: Tensor): number {
  return INTEGER_RANGE[x.dtype]?.[1] ?? 0;
}
