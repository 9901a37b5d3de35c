/**
 * Float32 sums that stay accurate over millions of terms. A serial `acc = acc + v` loses about one rounding per
 * term once `acc` dwarfs `v` (1e7 x 0.1 summed by one thread per 1/128 of the terms was off by 6.8e-4). Here a
 * thread sums its terms in blocks of 16 (level 0), adds each block's sum into level 1, level 1 into level 2 every
 * 16 blocks, level 2 into level 3 every 256 blocks and level 3 into level 4 every 4096: each addition meets a
 * partial of about its own size, as in a pairwise sum, and up to 2^20 terms per thread no level takes more than
 * 16 additions. A full block is a loop of exactly 16 that the compiler can unroll, so this runs faster than the
 * plain serial loop it replaces (on lavapipe: 2.35 ms instead of 2.92 for a sum of 1e6). The workgroup then
 * combines its threads' sums in a tree (tree-reduce.ts), which is pairwise already. PyTorch's CPU `cascade_sum`
 * works the same way (packages/backend-cpu/SUM-ORDER.md), though not in the same order.
 *
 * Blocks of 16 rather than wider ones: on 1e7 x 0.1 (78,125 terms per thread) they give a relative error of
 * 1.7e-7, blocks of 32 give 7.0e-7, PyTorch's CPU 5.8e-7.
 */

/**
 * WGSL statements that sum `load(r)` for `r = first, first + step, ...` below `end` (u32 expressions) into the
 * f32 variable `acc`, which the caller declares.
 */
export function cascadeSum(first: string, step: string, end: string, load: (r: string) => string): string {
  const push = (indent: string) => `c1 = c1 + c0; cn = cn + 1u;
${indent}if ((cn & 0xfu) == 0u) {
${indent}  c2 = c2 + c1; c1 = 0.0f;
${indent}  if ((cn & 0xffu) == 0u) {
${indent}    c3 = c3 + c2; c2 = 0.0f;
${indent}    if ((cn & 0xfffu) == 0u) { c4 = c4 + c3; c3 = 0.0f; }
${indent}  }
${indent}}`;
  // Full blocks have a constant trip count (the compiler may unroll them); the last, partial block follows.
  return `var c1 = 0.0f; var c2 = 0.0f; var c3 = 0.0f; var c4 = 0.0f; var cn = 0u;
  var r = ${first};
  for (; r + 15u * ${step} < ${end};) {
    var c0 = 0.0f;
    for (var i = 0u; i < 16u; i++) { c0 = c0 + ${load('r')}; r += ${step}; }
    ${push('    ')}
  }
  if (r < ${end}) {
    var c0 = 0.0f;
    for (; r < ${end}; r += ${step}) { c0 = c0 + ${load('r')}; }
    ${push('    ')}
  }
  acc = ((c1 + c2) + c3) + c4;`;
}
