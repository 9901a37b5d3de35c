/**
 * The one generator of workgroup tree reductions: each invocation leaves its partial in workgroup memory, then
 * pairs fold together at halving distances until slot 0 holds the workgroup's result, in log2(size) steps
 * instead of a serial pass. Pairing order is fixed, so results are deterministic. Slots are paired at a distance,
 * not with neighbours, so a combine that must return the first occurrence (argmax) compares carried positions on ties.
 */

/** `var<workgroup> name: array<type, size>;`: one slot per invocation. */
export function workgroupSlots(name: string, type: string, size: number): string {
  return `var<workgroup> ${name}: array<${type}, ${size}>;`;
}

/**
 * WGSL statements of a tree reduction over a workgroup of `size` invocations (a power of two), run by every
 * invocation in uniform control flow (it has barriers). `store` writes invocation `l`'s partial into its slots;
 * `combine` folds slot `l + s` into slot `l`. Afterwards slot 0 holds the result; a caller that reuses the slots
 * must barrier after reading it.
 */
export function treeReduce(size: number, store: string, combine: string): string {
  return `  ${store}
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
    if (l < s) {
      ${combine}
    }
    workgroupBarrier();
  }
`;
}
