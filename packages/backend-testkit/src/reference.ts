/**
 * The suite's oracle: naive strided loops over plain arrays, written independently of every backend (index math
 * by division instead of odometers, exact BigInt arithmetic for every integer dtype, Simpson's rule for erf).
 * Elements are `Value`s: numbers, and bigints for int64 (exact past 2^53). float32 results are computed in double
 * precision and rounded once with `Math.fround`; float64 results are the double computation itself.
 */
export * from './reference-core.js';
export * from './reference-elementwise.js';
export * from './reference-reduce.js';
export * from './reference-fused.js';
