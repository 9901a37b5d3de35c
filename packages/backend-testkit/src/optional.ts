import type { Backend } from '@descent/backend';

/**
 * The optional fused methods of `Backend`: one kernel for what the tensor layer otherwise composes from primitives.
 * The suite checks each one a backend has against the reference, and registers its cases as skipped otherwise.
 */
export const OPTIONAL_METHODS = [
  'softmax', 'crossEntropy', 'argsort', 'windowArgmax', 'unfoldMatmul', 'unfoldMatmulWeightGrad', 'unfoldMatmulInputGrad',
  'lstmCell', 'lstmCellBackward', 'gruCell', 'gruCellBackward', 'sgdUpdate', 'adamUpdate',
] as const satisfies readonly (keyof Backend)[];

export type OptionalMethod = (typeof OPTIONAL_METHODS)[number];

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** Optional members of the spec that are not fused kernels: flags, the dtype list, the collector and host-side helpers, checked elsewhere. */
type NotFused = 'gcManaged' | 'collector' | 'dtypes' | 'readSync' | 'synchronize';

/** Fails to compile when `Backend` gains an optional method that OPTIONAL_METHODS (and so the suite) lacks. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const OPTIONAL_METHODS_ARE_COMPLETE: Exact<Exclude<OptionalKeys<Backend>, NotFused>, OptionalMethod> = true;
