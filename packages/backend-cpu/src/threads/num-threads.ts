import { engineParallelism, warmUpThreads } from '../wasm/kernel-engine.js';
import { threadRuntime } from './runtime.js';
import { getNumThreads, requestThreads } from './thread-count.js';

export { getNumThreads } from './thread-count.js';

/**
 * As `torch.set_num_threads`: the threads later CPU kernels use; results do not depend on it. Missing workers
 * start now. In Node this waits until they are ready (tens of milliseconds), so the next op already runs on all
 * of them; a browser worker cannot block while its own workers start, so they join once it next yields (an
 * `await`). Without a call, workers start in the background at the first large op.
 */
export function setNumThreads(threads: number): void {
  requestThreads(threads);
  warmUpThreads(getNumThreads());
}

/** What the CPU kernels run on now. */
export interface ThreadingStatus {
  /** `getNumThreads()`: the threads kernels may use. */
  threads: number;
  /** Of those, the threads ready now (the caller and the workers that have started). */
  ready: number;
  /** Why kernels run on the calling thread alone in this runtime; undefined where they can use workers. */
  reason: string | undefined;
}

/** Descent's view of `getNumThreads()`: how many threads are ready, and why there is only one where that is so. */
export function threadingStatus(): ThreadingStatus {
  return { threads: getNumThreads(), ready: engineParallelism(), reason: threadRuntime().reason };
}
