/**
 * What this runtime offers for threads, found without Node or DOM types (the package builds against ES2022
 * alone): Node's `worker_threads` through `process.getBuiltinModule` (synchronous, so a script that never awaits
 * still gets threads), or Web Workers in a cross-origin isolated browser worker, where blocking is allowed.
 */

/** The slice of a worker handle the pool uses, in Node and in browsers. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

export interface ThreadRuntime {
  /** Logical cores, the default thread count (2 where the runtime does not say: enough to tell the user). */
  cores: number;
  /** Starts a worker running `source` (a classic script) with `data` as its start message. */
  spawn?: (source: string, data: unknown) => WorkerHandle;
  /** Why threads are unavailable, when `spawn` is missing. */
  reason?: string;
  /** Whether a worker starts while its creator blocks (Node); a browser worker's do not, until it yields. */
  bootsWhileBlocked?: boolean;
}

interface NodeWorkerModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => WorkerHandle & { unref(): void };
}

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

interface BrowserGlobals {
  Worker?: new (url: string) => WorkerHandle;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL?: { createObjectURL(blob: object): string };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: unknown;
  process?: NodeProcess & { versions?: { node?: string } };
}

function nodeRuntime(proc: NodeProcess): ThreadRuntime {
  const os = proc.getBuiltinModule?.('os') as { availableParallelism(): number } | undefined;
  const threads = proc.getBuiltinModule?.('worker_threads') as NodeWorkerModule | undefined;
  if (os === undefined || threads === undefined) {
    return { cores: 2, reason: 'this Node has no process.getBuiltinModule (Node >= 20.16 has it)' };
  }
  return {
    cores: os.availableParallelism(),
    bootsWhileBlocked: true,
    spawn: (source, data) => {
      const worker = new threads.Worker(source, { eval: true, workerData: data });
      // Idle workers must not keep the process alive.
      worker.unref();
      return worker;
    },
  };
}

function browserRuntime(g: BrowserGlobals): ThreadRuntime {
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  if (g.crossOriginIsolated !== true || typeof SharedArrayBuffer !== 'function') {
    return { cores, reason: 'the page is not cross-origin isolated, so it has no SharedArrayBuffer' };
  }
  if (g.WorkerGlobalScope === undefined) {
    return { cores, reason: "a page's main thread may not block waiting for workers (run Descent in a Web Worker)" };
  }
  const { Worker, Blob, URL } = g;
  if (Worker === undefined || Blob === undefined || URL === undefined) return { cores, reason: 'this runtime has no Web Workers' };
  return {
    cores,
    spawn: (source, data) => {
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      worker.postMessage(data);
      return worker;
    },
  };
}

let cached: ThreadRuntime | undefined;

export function threadRuntime(): ThreadRuntime {
  if (cached !== undefined) return cached;
  const g = globalThis as BrowserGlobals;
  cached = g.process?.versions?.node !== undefined ? nodeRuntime(g.process) : browserRuntime(g);
  return cached;
}
