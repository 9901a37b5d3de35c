/**
 * 1-D dispatches of more than 65535 workgroups: WebGPU caps each dimension at 65535, so the workgroups are folded
 * into x and y, and the shader unfolds its linear invocation index.
 */

/** The linear invocation index of a 256-wide 1-D dispatch folded into x and y. */
export const LINEAR_INDEX = 'gid.x + gid.y * nwg.x * 256u';

/** Workgroup counts for `n` invocations of a `width`-wide 1-D kernel, folded into x and y under the 65535 limit. */
export function linearWorkgroups(n: number, width = 256): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / width));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}
