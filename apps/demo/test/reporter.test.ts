import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Reporter } from '../src/reporter.js';

/** A stream that records what is written, posing as a terminal or not. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, clearScreenDown: () => true });
  return { stream, written: () => chunks.join('') };
}

async function train(reporter: Reporter, steps: number): Promise<number> {
  let reads = 0;
  const progress = reporter.progress('fit', steps);
  for (let step = 1; step <= steps; step++) {
    if (step % 500 === 0) reporter.print(`step ${step}`);
    await progress.tick(step, async () => {
      reads++;
      return 1 / step;
    });
    if (step % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 120)); // let the bar refresh
  }
  progress.stop();
  return reads;
}

describe('Reporter', () => {
  it('draws a progress bar with the running loss on a terminal, and keeps the printed lines', async () => {
    const { stream, written } = fakeStream(true);
    const reads = await train(new Reporter(true, stream), 3000);
    expect(reads).toBeGreaterThan(0);
    expect(written()).toMatch(/fit \|.*\| \d+\/3000 \| loss \d/);
    for (const step of [500, 1000, 1500, 2000, 2500, 3000]) expect(written()).toContain(`step ${step}\n`);
  });

  it('prints plain lines and never reads the loss when stdout is not a terminal', async () => {
    const { stream, written } = fakeStream(false);
    const reads = await train(new Reporter(true, stream), 3000);
    expect(reads).toBe(0);
    expect(written()).toBe([500, 1000, 1500, 2000, 2500, 3000].map((s) => `step ${s}\n`).join(''));
  });

  it('draws nothing with --no-progress, or for short loops', async () => {
    const off = fakeStream(true);
    expect(await train(new Reporter(false, off.stream), 3000)).toBe(0);
    expect(off.written()).not.toContain('\u001b[');
    const short = fakeStream(true);
    expect(await train(new Reporter(true, short.stream), 999)).toBe(0);
    expect(short.written()).toBe('step 500\n');
  });
});
