/**
 * A call's optional arguments as `bindArgs` takes them: any leading part of PyTorch's positional order `P`, then an
 * optional options object `O` for the rest by keyword. `ArgsThenOptions<[p: number, inplace: boolean], O>` is
 * `[p, inplace, O?] | [p, O?] | [O?]`.
 */
export type ArgsThenOptions<P extends readonly unknown[], O> = P extends readonly [...infer Head, unknown]
  ? [...P, options?: O] | ArgsThenOptions<Head, O>
  : [options?: O];
