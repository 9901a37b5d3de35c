// The messages between the playground page and the Web Worker that runs its script. The script runs off the main
// thread so a long or endless loop leaves the page responsive, and Stop can end it by terminating the worker.
import type { DeviceName } from './run-script.js';

/** The backend the user picked: `auto` is WebGPU when the browser gives an adapter, else the CPU. */
export type DeviceChoice = 'auto' | 'webgpu' | 'cpu';

/** Page to worker: run this script. One per worker: each run gets a fresh worker, so no state leaks between runs. */
export interface RunRequest {
  readonly type: 'run';
  readonly source: string;
  readonly choice: DeviceChoice;
}

/** Where an error came from: `line` is the line of the user's script (1-based), null when no frame was in it. */
export interface ScriptError {
  readonly name: string;
  readonly message: string;
  readonly line: number | null;
  readonly stack: string;
}

/** Worker to page. Prints and plot points come in batches, so a chatty loop cannot flood the page. */
export type WorkerMessage =
  | { readonly type: 'backend'; readonly device: DeviceName; readonly label: string }
  | { readonly type: 'print'; readonly lines: string[] }
  | { readonly type: 'plot'; readonly points: [number, number][] }
  | { readonly type: 'predictions'; readonly predicted: number[][]; readonly target: number[][] }
  | { readonly type: 'done' }
  | ({ readonly type: 'error' } & ScriptError);
