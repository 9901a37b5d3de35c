import { threadRuntime } from './runtime.js';

/** The most threads a process may ask for; more would only queue on the cores. */
export const MAX_THREADS = 64;

let requested: number | undefined;
let toldSingleThreaded = false;

/**
 * The threads CPU kernels use, the caller's included: `setNumThreads`'s value, by default the logical cores, and
 * 1 where this runtime cannot run kernels on workers (`threadingStatus().reason` says why).
 */
export function getNumThreads(): number {
  const runtime = threadRuntime();
  if (runtime.spawn === undefined) return 1;
  return Math.min(requested ?? runtime.cores, MAX_THREADS);
}

/** Records a `setNumThreads` request after checking it as `torch.set_num_threads` does. */
export function requestThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`setNumThreads: Number of threads must be a positive integer, got ${String(threads)}`);
  }
  if (threads > MAX_THREADS) throw new RangeError(`setNumThreads: at most ${MAX_THREADS} threads, got ${threads}`);
  requested = threads;
  if (threads > 1) warnIfSingleThreaded();
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
