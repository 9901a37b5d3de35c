// What the worker does with a run request, apart from the worker itself (worker.ts), so Node tests can run it:
// pick the device, run the script, and post its prints, plot points and predictions back in batches.
import type * as Torch from '@descent/torch';
import { formatPredictions, runScript, type DeviceName } from './run-script.js';
import { scriptLineOf } from './script-line.js';
import type { DeviceChoice, RunRequest, ScriptError, WorkerMessage } from './protocol.js';

type Post = (message: WorkerMessage) => void;

/** Prints and plot points wait at most this long before they are posted. */
const FLUSH_MS = 50;

/** WebGPU when asked for (or on `auto` when an adapter is there), else the CPU; the label says which and why. */
export async function pickDevice(torch: typeof Torch, wanted: DeviceChoice): Promise<{ device: DeviceName; label: string }> {
  let reason = '';
  if (wanted !== 'cpu') {
    // Dedicated workers have navigator.gpu where the page has it (Chromium, Safari, Firefox with WebGPU).
    const gpu = (globalThis.navigator as (Navigator & { gpu?: unknown }) | undefined)?.gpu;
    if (!gpu) reason = 'navigator.gpu is undefined in this browser';
    else {
      try {
        await torch.webgpu.init();
        return { device: 'webgpu', label: `WebGPU (${torch.webgpu.info()})` };
      } catch (e) {
        reason = (e as Error).message;
      }
    }
    if (wanted === 'webgpu') throw new Error(`WebGPU is not available here: ${reason}`);
  }
  return { device: 'cpu', label: reason ? `CPU (WebGPU unavailable: ${reason})` : 'CPU' };
}

/** An error as the page shows it, with the script line it was thrown from. */
export function toScriptError(error: unknown): ScriptError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), line: null, stack: '' };
  return { name: error.name, message: error.message, line: scriptLineOf(error), stack: error.stack ?? '' };
}

/** Buffers prints and plot points, posting them at most every FLUSH_MS (a loop that prints runs synchronously). */
class Batcher {
  private lines: string[] = [];
  private points: [number, number][] = [];
  private lastFlush = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: Post) {}

  print(line: string): void {
    this.lines.push(line);
    this.schedule();
  }

  plot(epoch: number, loss: number): void {
    this.points.push([epoch, loss]);
    this.schedule();
  }

  /** Posts at once when the last post is old enough (so the first line of a quiet script shows at once). */
  private schedule(): void {
    if (performance.now() - this.lastFlush >= FLUSH_MS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = performance.now();
    if (this.lines.length) this.post({ type: 'print', lines: this.lines.splice(0) });
    if (this.points.length) this.post({ type: 'plot', points: this.points.splice(0) });
  }
}

/** Runs one request to the end, posting everything it produces, then `done` or `error`. Never throws. */
export async function handleRunRequest(request: RunRequest, torch: typeof Torch, post: Post): Promise<void> {
  const batch = new Batcher(post);
  try {
    const { device, label } = await pickDevice(torch, request.choice);
    post({ type: 'backend', device, label });
    await runScript(request.source, torch, device, {
      print: (line) => batch.print(line),
      plot: (epoch, loss) => batch.plot(epoch, loss),
      showPredictions: (predicted, target) => {
        post({ type: 'predictions', predicted, target });
        for (const line of formatPredictions(predicted, target)) batch.print(line);
      },
    });
    batch.flush();
    post({ type: 'done' });
  } catch (error) {
    batch.flush();
    post({ type: 'error', ...toScriptError(error) });
  }
}
