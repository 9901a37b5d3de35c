/**
 * The control block the caller and the workers share: an Int32Array over a SharedArrayBuffer. Word 0 counts the
 * calls workers have finished, word 1 is set when one failed; then one slot per worker: a sequence number the
 * caller bumps to hand over a call, a ready flag, the kernel's index, who took the call, and its i32 arguments.
 */
export const DONE = 0;
export const FAILED = 1;
export const HEADER = 4;
export const SLOT = 24;
export const SEQ = 0;
export const READY = 1;
export const KERNEL = 2;
export const ARG_COUNT = 3;
/**
 * Who runs the call handed over: OPEN until the worker claims it (TAKEN) or the caller, tired of waiting for a
 * worker that never woke, takes it back (STOLEN). A compare-exchange decides, so the part runs exactly once.
 */
export const CLAIM = 4;
export const OPEN = 0;
export const TAKEN = 1;
export const STOLEN = 2;
export const ARGS = 5;
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
