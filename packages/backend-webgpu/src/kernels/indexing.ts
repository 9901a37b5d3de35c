/**
 * WGSL for strided addressing. Parameters live in `p: array<u32>` (binding 0). A view of rank R is described at
 * a base index `b` as `p[b] = offset, p[b+1 .. b+R] = strides`; the shape it is walked over sits once at `shapeBase`.
 * Shaders are specialized by rank (part of the cache key), never by sizes.
 */

/** `fn name(i: u32) -> u32`: the buffer index of row-major element `i` of a view whose parameters start at `p[base]`. */
export function stridedOffsetFn(name: string, rank: number, shapeBase: string, base: string): string {
  if (rank === 0) return `fn ${name}(i: u32) -> u32 { return p[${base}]; }`;
  let body = `  var rem = i;\n  var off = p[${base}];\n`;
  for (let d = rank - 1; d >= 0; d--) {
    body += `  { let size = p[${shapeBase} + ${d}u]; off += (rem % size) * p[${base} + ${d + 1}u]; rem = rem / size; }\n`;
  }
  return `fn ${name}(i: u32) -> u32 {\n${body}  return off;\n}`;
}

/** `fn name(i: u32) -> u32` for a contiguous view: just the offset plus `i`. */
export function contiguousOffsetFn(name: string, base: string): string {
  return `fn ${name}(i: u32) -> u32 { return p[${base}] + i; }`;
}

/** Parameters for a view: offset then strides. */
export function viewParams(offset: number, strides: readonly number[]): number[] {
  return [offset, ...strides];
}

/** Workgroup counts for `n` invocations of a 256-wide 1-D kernel, folded into x and y under the 65535 limit. */
export function linearWorkgroups(n: number, width = 256): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / width));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}
