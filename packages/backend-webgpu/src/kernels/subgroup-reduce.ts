import type { ReduceOp } from '@descent/backend';

/**
 * Workgroup reductions that combine within subgroups first: each subgroup folds its invocations' partials with
 * subgroup operations (no workgroup memory, no barrier), its elected invocation stores the result in the slot of
 * its `subgroup_id`, and the subgroups' results are folded in a tree in workgroup memory as in ./tree-reduce.ts.
 * A workgroup of W invocations in subgroups of S takes log2(W / S) + 1 barriers instead of log2(W) + 1 (W = 128,
 * S = 8 on lavapipe: 5 instead of 8; S = 32: 3). The subgroup size is not known when the shader is compiled:
 * `subgroup_size` and `num_subgroups` are read at run time, and any count of subgroups is folded correctly.
 *
 * Error bound. Float sums and products stay a pairwise tree: inside a subgroup they are folded by an xor butterfly
 * (`subgroupShuffleXor` at distances 1, 2, 4, ...), a tree of log2(S) levels whatever the driver, and across
 * subgroups by the tree of log2(W / S) levels: log2(W) roundings on each partial's path, as with the shared-memory
 * tree (the threads' own partials come from ./cascade-sum.ts). `subgroupAdd` itself would not promise that: its
 * order is the driver's, and lavapipe's (Mesa gallivm `emit_reduce`) is a serial loop over the lanes, S - 1
 * roundings. The butterfly needs full subgroups of a power-of-two size (`num_subgroups * subgroup_size` equals
 * the workgroup size; WebGPU's sizes are powers of two); where that fails, the fold falls back to `subgroupAdd`
 * or `subgroupMul`, whose bound is that of any order of S terms (S - 1 roundings) plus the tree's log2(W / S).
 * Max, min and their arg forms are exact in any order: they use `subgroupMax` / `subgroupMin`, with NaN and the
 * first-index rule decided apart (NaN wins, then the lowest index among equal values, PyTorch's rules).
 */

/** The directives that open a subgroup kernel, before any declaration. */
export const SUBGROUP_DIRECTIVES = 'enable subgroups;\nrequires subgroup_id;\n';

/** The entry point's parameters that `subgroupTreeReduce` reads, as builtins. */
export const SUBGROUP_BUILTINS = '@builtin(subgroup_size) sg_size: u32, @builtin(subgroup_id) sg_id: u32, @builtin(num_subgroups) sg_count: u32';
/** The same as a helper function's parameters, and the arguments that pass them on. */
export const SUBGROUP_PARAMS = 'sg_size: u32, sg_id: u32, sg_count: u32';
export const SUBGROUP_ARGS = 'sg_size, sg_id, sg_count';

/**
 * WGSL statements (one block) of a workgroup reduction with subgroups, run by every invocation in uniform control
 * flow.
 * `fold` leaves the subgroup's result in every invocation (the statements of `subgroupSum` and the like);
 * `store` writes it into slot `sg_id`; `combine` folds slot `l + s` into slot `l`, as in `treeReduce`. Afterwards
 * slot 0 holds the result; a caller that reuses the slots must barrier after reading it.
 */
export function subgroupTreeReduce(fold: string, store: string, combine: string): string {
  return `  {
  ${fold}
  if (subgroupElect()) { ${store} }
  workgroupBarrier();
  var top = 1u;
  while (top < sg_count) { top = top << 1u; }
  for (var s = top >> 1u; s > 0u; s = s >> 1u) {
    if (l < s && l + s < sg_count) {
      ${combine}
    }
    workgroupBarrier();
  }
  }
`;
}

/**
 * Declares `out`, the subgroup's sum ('+') or product ('*') of `value` (a variable), in every invocation: an xor
 * butterfly (a pairwise tree, and every lane ends with the same bits) in full power-of-two subgroups of a
 * workgroup of `workgroup` invocations, else the driver's own fold.
 */
export function subgroupSum(out: string, value: string, op: '+' | '*', workgroup: number): string {
  return `var ${out} = ${value};
  if (sg_count * sg_size == ${workgroup}u && (sg_size & (sg_size - 1u)) == 0u) {
    for (var lane_mask = 1u; lane_mask < sg_size; lane_mask = lane_mask << 1u) { ${out} = ${out} ${op} subgroupShuffleXor(${out}, lane_mask); }
  } else {
    ${out} = ${op === '+' ? 'subgroupAdd' : 'subgroupMul'}(${value});
  }`;
}

const SKIP_NAN = { max: '-inf_f32()', min: 'inf_f32()' } as const;

/** Declares `out`, the subgroup's max or min of `value`; for f32 a NaN anywhere makes it NaN. */
export function subgroupExtreme(out: string, value: string, which: 'max' | 'min', float: boolean): string {
  const fold = which === 'max' ? 'subgroupMax' : 'subgroupMin';
  if (!float) return `let ${out} = ${fold}(${value});`;
  return `let ${out} = select(${fold}(select(${value}, ${SKIP_NAN[which]}, is_nan(${value}))), nan_f32(), subgroupAny(is_nan(${value})));`;
}

/**
 * Declares `out` and `outIdx`, the subgroup's best (`value`, `idx`) pair for argmax / argmin: the lowest index
 * holding a NaN if any (f32), else the lowest index holding the max (min). A pair with `idx == NONE` (an
 * invocation that saw no element) never wins over one with an index.
 */
export function subgroupArgExtreme(out: string, outIdx: string, value: string, idx: string, which: 'max' | 'min', float: boolean): string {
  const fold = which === 'max' ? 'subgroupMax' : 'subgroupMin';
  if (!float) {
    return `let ${out} = ${fold}(${value});
  let ${outIdx} = subgroupMin(select(NONE, ${idx}, ${value} == ${out}));`;
  }
  return `let ${out}_nan_at = subgroupMin(select(NONE, ${idx}, is_nan(${value})));
  let ${out}_best = ${fold}(select(${value}, ${SKIP_NAN[which]}, is_nan(${value})));
  let ${outIdx} = select(subgroupMin(select(NONE, ${idx}, ${value} == ${out}_best)), ${out}_nan_at, ${out}_nan_at != NONE);
  let ${out} = select(${out}_best, nan_f32(), ${out}_nan_at != NONE);`;
}

/**
 * The subgroup fold of `reduceShader`'s partials (`acc`, and `idx` for the arg ops) into `sv` (and `si`), for
 * elements of WGSL type `t` in a workgroup of `workgroup` invocations.
 */
export function subgroupReduceFold(op: ReduceOp, t: string, workgroup: number): string {
  const float = t === 'f32';
  switch (op) {
    case 'sum':
    case 'prod':
      return subgroupSum('sv', 'acc', op === 'sum' ? '+' : '*', workgroup);
    case 'max':
    case 'min':
      return subgroupExtreme('sv', 'acc', op, float);
    case 'argmax':
    case 'argmin':
      return subgroupArgExtreme('sv', 'si', 'acc', 'idx', op === 'argmax' ? 'max' : 'min', float);
  }
}
