import { threadRuntime } from './runtime.js';

/** The most threads a process may ask for; more would only queue on the cores. */
export const MAX_THREADS = 64;

let requested: number | undefined;
let toldSingleThreaded = false;

/** Something that runs work on threads and can get them ready ahead of time (the kernels' worker pool). */
export interface ThreadUser {
  warmUp(threads: number): void;
}

const users = new Set<ThreadUser>();

/**
 * Registers a pool so that `setNumThreads` starts its workers at once; a pool created after the call starts them
 * now.
 */
export function registerThreadUser(user: ThreadUser): void {
  users.add(user);
  if (requested !== undefined) user.warmUp(getNumThreads());
}

/**
 * The threads CPU kernels use, the caller's included: `setNumThreads`'s value, by default the logical cores, and
 * 1 where this runtime cannot run kernels on workers (see `threadingUnavailableReason`).
 */
export function getNumThreads(): number {
  const runtime = threadRuntime();
  if (runtime.spawn === undefined) return 1;
  return Math.min(requested ?? runtime.cores, MAX_THREADS);
}

/**
 * As `torch.set_num_threads`: the threads later CPU kernels use. Results do not depend on it. Workers that are
 * missing start now, and this waits until they are ready (tens of milliseconds), so the next op already runs on
 * all of them; without a call, they start in the background at the first large op.
 */
export function setNumThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`setNumThreads: Number of threads must be a positive integer, got ${String(threads)}`);
  }
  if (threads > MAX_THREADS) throw new RangeError(`setNumThreads: at most ${MAX_THREADS} threads, got ${threads}`);
  requested = threads;
  if (threads > 1) warnIfSingleThreaded();
  for (const user of users) user.warmUp(getNumThreads());
}

/** Why CPU kernels run on the calling thread alone here; undefined where they can use workers. */
export function threadingUnavailableReason(): string | undefined {
  return threadRuntime().reason;
}

/**
 * Says once, on the console, that kernels run single-threaded on a machine with more cores (or after a request
 * for more threads), and why. Kernels call it when they could have split their work.
 */
export function warnIfSingleThreaded(): void {
  const { reason, cores } = threadRuntime();
  if (reason === undefined || toldSingleThreaded || (cores < 2 && (requested ?? 1) < 2)) return;
  toldSingleThreaded = true;
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(
    `descent: CPU kernels run on one thread: ${reason}.`,
  );
}
