import type * as Torch from '@descent/torch';
import { compileScript } from './script-line.js';

/** What a playground script sees besides `torch` and `device`. */
export interface ScriptHost {
  /** One printed line: strings and numbers as they are, tensors in PyTorch's format (`await print(tensor)`). */
  print(line: string): void;
  /** One point of the loss curve. */
  plot(epoch: number, loss: number): void;
  /** The rows of predictions beside targets, both as nested arrays. */
  showPredictions(predictions: number[][], targets: number[][]): void;
}

export type DeviceName = 'cpu' | 'webgpu';

/**
 * Runs a playground script (JavaScript, top-level `await` allowed) with `torch`, `device`, `print`, `plot` and
 * `showPredictions` in scope. The page's worker and the Node test both run scripts through here, so they print
 * alike. Errors keep the script's stack frames (see script-line.ts for the line they were thrown from).
 */
export async function runScript(source: string, torch: typeof Torch, device: DeviceName, host: ScriptHost): Promise<void> {
  // Synchronous unless a tensor needs reading, so unawaited prints of plain values keep their order.
  const print = (...values: unknown[]): Promise<void> => {
    if (!values.some((v) => v instanceof torch.Tensor)) {
      host.print(values.map(String).join(' '));
      return Promise.resolve();
    }
    return Promise.all(values.map((v) => (v instanceof torch.Tensor ? v.toStringAsync() : String(v)))).then((parts) =>
      host.print(parts.join(' ')),
    );
  };
  const plot = (epoch: number, loss: number): void => {
    if (!Number.isFinite(epoch)) throw new TypeError(`plot(epoch, loss): epoch must be a number, got ${String(epoch)}`);
    host.plot(epoch, Number(loss));
  };
  const showPredictions = async (predictions: Torch.Tensor, targets: Torch.Tensor): Promise<void> => {
    if (!(predictions instanceof torch.Tensor) || !(targets instanceof torch.Tensor)) {
      throw new TypeError('showPredictions(predictions, targets) takes two tensors');
    }
    const rows = async (t: Torch.Tensor) => {
      const list = await t.reshape(t.shape[0] ?? 1, -1).tolistAsync();
      return list as number[][];
    };
    host.showPredictions(await rows(predictions), await rows(targets));
  };
  await compileScript(source)(torch, device, print, plot, showPredictions);
}

/** The printed lines a prediction table adds to the output, so tests can compare it as text. */
export function formatPredictions(predictions: number[][], targets: number[][]): string[] {
  return predictions.map(
    (row, i) => `predicted [${row.map((v) => v.toFixed(4)).join(', ')}]  target [${(targets[i] ?? []).map((v) => v.toFixed(1)).join(', ')}]`,
  );
}
