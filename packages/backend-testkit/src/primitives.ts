import type { Backend } from '@descent/backend';

/** The required methods of `Backend`, in the order the suite checks them (memory first: every case uses it). */
export const PRIMITIVES = [
  'upload',
  'read',
  'alloc',
  'free',
  'fill',
  'copy',
  'cast',
  'unary',
  'binary',
  'where',
  'reduce',
  'matmul',
  'gather',
  'scatterAdd',
] as const satisfies readonly (keyof Backend)[];

export type Primitive = (typeof PRIMITIVES)[number];

/** Raised when a backend lacks a primitive or says it is not implemented; the suite reports it by name. */
export class MissingPrimitiveError extends Error {
  constructor(
    readonly backendName: string,
    readonly primitive: Primitive,
    detail?: string,
  ) {
    super(`backend '${backendName}' does not implement primitive '${primitive}'${detail ? ` (${detail})` : ''}`);
    this.name = 'MissingPrimitiveError';
  }
}

const NOT_IMPLEMENTED = /not (yet )?implemented|unimplemented/i;

/** True for the errors a backend throws for a primitive (or one dtype of it) it does not support yet. */
export function isNotImplementedError(error: unknown): boolean {
  return error instanceof Error && NOT_IMPLEMENTED.test(error.message);
}
