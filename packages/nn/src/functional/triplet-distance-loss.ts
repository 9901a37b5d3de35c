import { bindArgs, presentAs, type Tensor } from '@descent/tensor';
import { pairwiseDistance } from './distance.js';
import { checkReduction, reduce, type ReductionOption } from './reduction.js';

/** A distance between two batches of vectors, one value per pair (a function or a module's forward). */
export type DistanceFunction = (x1: Tensor, x2: Tensor) => Tensor;

export interface TripletMarginWithDistanceOptions extends ReductionOption {
  /** Default `F.pairwiseDistance` (the Euclidean distance). */
  distanceFunction?: DistanceFunction | null;
  margin?: number;
  swap?: boolean;
}

/**
 * `max(0, d(a, p) - d(a, n) + margin)` for any distance `d`, as `F.triplet_margin_with_distance_loss(anchor,
 * positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction='mean')` (its options are
 * keyword-only there, so they come only in the options object here). With `swap`, `d(a, n)` is the smaller of
 * it and `d(p, n)`.
 */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginWithDistanceOptions = {}): Tensor {
  const o = bindArgs<TripletMarginWithDistanceOptions>(
    { fn: 'triplet_margin_with_distance_loss', required: 0, positional: [], keywordOnly: ['distanceFunction', 'margin', 'swap', 'reduction'] },
    [options],
  );
  const distance = o.distanceFunction ?? ((x1: Tensor, x2: Tensor) => pairwiseDistance(x1, x2));
  const { margin = 1, swap = false } = o;
  const positiveDist = distance(anchor, positive);
  let negativeDist = distance(anchor, negative);
  if (swap) negativeDist = negativeDist.minimum(distance(positive, negative));
  const output = presentAs(positiveDist.sub(negativeDist).add(margin).clamp(0, null), 'ClampBackward1', [positiveDist, negativeDist]);
  return reduce(output, checkReduction(o.reduction));
}
