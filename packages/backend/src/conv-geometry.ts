/**
 * The convolution behind an `unfoldMatmul` table whose windows move one element at a time (stride 1): a hint that
 * lets a backend read the windows straight from the input's planes instead of through the table (a direct
 * convolution). The table stays the definition: a backend that uses the hint checks that the table is this
 * geometry's, and any backend may ignore it.
 */
export interface ConvGeometry {
  /** Input channels, over all groups. */
  readonly channels: number;
  /** The input's spatial sizes, unpadded ([H, W], or [L] for 1-D). */
  readonly input: readonly number[];
  /** Zero padding before and after each spatial dim. */
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly kernel: readonly number[];
  readonly dilation: readonly number[];
}
