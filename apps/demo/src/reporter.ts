import cliProgress from 'cli-progress';

/** Loops shorter than this finish before a bar could say anything useful. */
const LONG_RUN_STEPS = 1000;
/** How often a running bar reads the loss and lets the event loop redraw it. */
const REFRESH_MS = 100;

/** One running progress bar. `tick` is cheap when no bar is shown: it never reads the loss then. */
export interface Progress {
  /** Marks `step` steps done; `readLoss` is called (and awaited) only when the bar is about to redraw. */
  tick(step: number, readLoss: () => Promise<number>): Promise<void>;
  stop(): void;
}

const silentProgress: Progress = {
  tick: () => Promise.resolve(),
  stop: () => undefined,
};

/**
 * Where the programs print. Lines go to stdout; during a long loop a progress bar with the running loss is drawn
 * below them, and only when stdout is a terminal, so pipes, files and CI logs get the plain lines.
 */
export class Reporter {
  private bar: cliProgress.MultiBar | null = null;

  constructor(private readonly progressWanted: boolean, private readonly stream: NodeJS.WriteStream = process.stdout) {}

  get showsProgress(): boolean {
    return this.progressWanted && this.stream.isTTY === true;
  }

  print(text = ''): void {
    if (this.bar) this.bar.log(`${text}\n`);
    else this.stream.write(`${text}\n`);
  }

  /**
   * Starts a bar for a loop of `total` steps, or a silent stand-in when the loop is short (under `minSteps`: a loop
   * of slow steps passes a smaller one) or output is not a TTY.
   */
  progress(label: string, total: number, minSteps = LONG_RUN_STEPS): Progress {
    if (!this.showsProgress || total < minSteps) return silentProgress;
    const multiBar = new cliProgress.MultiBar(
      {
        stream: this.stream,
        format: `${label} |{bar}| {value}/{total} | loss {loss} | {duration_formatted}`,
        clearOnComplete: true,
        hideCursor: true,
        fps: 1000 / REFRESH_MS,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = multiBar.create(total, 0, { loss: '...' });
    this.bar = multiBar;
    let lastRefresh = 0;
    return {
      tick: async (step, readLoss) => {
        const now = performance.now();
        if (now - lastRefresh < REFRESH_MS && step < total) return;
        lastRefresh = now;
        bar.update(step, { loss: (await readLoss()).toPrecision(6) });
        // Draw now: on the CPU, training awaits only resolved promises, so the bar's own timer would never fire.
        multiBar.update();
      },
      stop: () => {
        multiBar.update(); // flushes lines logged since the last draw; stop() alone would drop them
        multiBar.stop();
        if (this.bar === multiBar) this.bar = null;
      },
    };
  }
}
