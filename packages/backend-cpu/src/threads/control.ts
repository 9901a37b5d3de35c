/**
 * The control block the caller and the workers share: an Int32Array over a SharedArrayBuffer. Word 0 counts the
 * calls workers have finished, word 1 is set when one failed; then one slot per worker: a sequence number the
 * caller bumps to hand over a call, a ready flag, the kernel's index, and its i32 arguments.
 */
export const DONE = 0;
export const FAILED = 1;
export const HEADER = 4;
export const SLOT = 20;
export const SEQ = 0;
export const READY = 1;
export const KERNEL = 2;
export const ARG_COUNT = 3;
export const ARGS = 4;
export const MAX_ARGS = SLOT - ARGS;
/** The first failing worker's error text, as UTF-16 code units in a Uint16Array after the slots. */
export const MESSAGE_UNITS = 256;

/** A kernel index that tells a worker to stop. */
export const STOP = -1;
/**
 * How many times a waiting thread re-reads its word before it sleeps in `Atomics.wait`: about 20-50 µs, which
 * covers the gap between the calls of one op (a matmul's k-blocks), while a worker between ops sleeps.
 */
export const SPINS = 20000;
