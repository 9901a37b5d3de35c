// Starts a playground run in a fresh Web Worker, and ends it: when the script finishes, fails, or is stopped.
import type { DeviceChoice, RunRequest, WorkerMessage } from './protocol.js';

export type RunEnd = 'done' | 'error' | 'stopped';

export interface Run {
  /** Resolves once the run is over; the worker is gone by then. */
  readonly finished: Promise<RunEnd>;
  /** Terminates the worker: an endless loop ends here too, since nothing in the worker has to cooperate. */
  stop(): void;
}

export function startRun(source: string, choice: DeviceChoice, onMessage: (message: WorkerMessage) => void): Run {
  // Vite bundles the worker (and Descent with it) from this `new URL(..., import.meta.url)` form.
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'playground' });
  let end: (how: RunEnd) => void = () => {};
  const finished = new Promise<RunEnd>((resolve) => {
    end = (how) => {
      worker.terminate();
      end = () => {};
      resolve(how);
    };
  });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    onMessage(event.data);
    if (event.data.type === 'done' || event.data.type === 'error') end(event.data.type);
  };
  // A worker that cannot load (or throws outside the script) reports here, not through a message.
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    onMessage({ type: 'error', name: 'Error', message: `the playground worker failed: ${event.message || 'it could not load'}`, line: null, stack: '' });
    end('error');
  };
  worker.postMessage({ type: 'run', source, choice } satisfies RunRequest);
  return { finished, stop: () => end('stopped') };
}
