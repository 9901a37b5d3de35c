/**
 * The one generator of strided addressing in WGSL: splitting a flat row-major index into coordinates and turning
 * them into buffer indices of strided views. Every kernel that reads or writes a strided view goes through it,
 * so broadcasting (stride 0), slices (offsets) and transposes (permuted strides) work the same everywhere.
 * Shaders are specialized by rank (part of the pipeline key), never by sizes: sizes and strides are parameters.
 */

/** A view the walk adds to: `offset` names a WGSL `var` of type u32; `stride(d)` is its stride along axis d, or null to skip d. */
export interface WalkTarget {
  readonly offset: string;
  readonly stride: (d: number) => string | null;
}

/**
 * WGSL statements that split the flat index `index` (row-major over axes `from` .. `to - 1`, whose sizes are
 * `size(d)`) into coordinates, innermost axis first, and add coordinate * stride to each target's offset.
 * `perAxis(d)` adds statements that see the coordinate as `c` (bounds checks, a captured coordinate).
 */
export function stridedWalk(
  index: string,
  [from, to]: readonly [number, number],
  size: (d: number) => string,
  targets: readonly WalkTarget[],
  perAxis: (d: number) => string = () => '',
): string {
  if (to <= from) return '';
  let body = `  {\n    var rem = ${index};\n`;
  for (let d = to - 1; d >= from; d--) {
    const adds = targets.map((t) => {
      const stride = t.stride(d);
      return stride === null ? '' : ` ${t.offset} += c * ${stride};`;
    });
    const extra = perAxis(d);
    body += `    { let size = ${size(d)}; let c = rem % size; rem = rem / size;${adds.join('')}${extra ? ` ${extra}` : ''} }\n`;
  }
  return `${body}  }\n`;
}

/** The size of axis d of the kernel's walked shape, the `shape` parameter. */
export const shapeAxis = (d: number): string => `params.shape[${d}u]`;

/** A view parameter's stride along axis d. */
export const strideOf =
  (view: string) =>
  (d: number): string =>
    `${view}.strides[${d}u]`;

/**
 * `fn name(i: u32) -> u32`: the buffer index of row-major element `i` of the view parameter `view` (an
 * expression such as `params.src`), walked over the `shape` parameter. A contiguous view skips the walk.
 */
export function viewOffsetFn(name: string, view: string, rank: number, contiguous: boolean): string {
  if (contiguous) return `fn ${name}(i: u32) -> u32 { return ${view}.offset + i; }`;
  const walk = stridedWalk('i', [0, rank], shapeAxis, [{ offset: 'off', stride: strideOf(view) }]);
  return `fn ${name}(i: u32) -> u32 {\n  var off = ${view}.offset;\n${walk}  return off;\n}`;
}
