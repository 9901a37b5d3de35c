export { runConformance } from './run-conformance.js';
export type { ConformanceOptions, ToleranceOptions, ToleranceKind } from './options.js';
export { DEFAULT_TOLERANCE } from './options.js';
export { PRIMITIVES, MissingPrimitiveError, isNotImplementedError, type Primitive } from './primitives.js';
export * as reference from './reference.js';
