import type { WasmMemory } from '../wasm/wasm-api.js';
import { ARG_COUNT, ARGS, CLAIM, DONE, FAILED, HEADER, KERNEL, MAX_ARGS, MESSAGE_UNITS, OPEN, READY, SEQ, SLOT, SPINS, STOLEN, STOP } from './control.js';
import { threadRuntime, type WorkerHandle } from './runtime.js';
import { MAX_THREADS } from './thread-count.js';
import { WORKER_SOURCE } from './worker-source.js';

/** Says once that kernels went back to one thread because workers stopped answering. */
let toldRetired = false;
function warnRetired(count: number): void {
  if (toldRetired) return;
  toldRetired = true;
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(
    `descent: ${count} CPU worker thread(s) did not take their work (stopped or terminated); CPU kernels now run on the calling thread alone.`,
  );
}

/** A compiled Wasm kernel the pool can run: its module (sent to each worker) and exported function's name. */
export interface PoolKernel {
  module: object;
  name: string;
  /** The caller's own instance of the function, on the same shared memory. */
  call: (...args: number[]) => void;
}

/**
 * Workers that run Wasm kernels on one shared memory, joined by the calling thread, which runs the first part
 * itself and then waits on `Atomics` for the others: every op stays synchronous, as PyTorch's CPU ops are.
 * Workers start in the background on first use; a call uses the ones ready by then, which only changes who runs
 * what, never the result.
 */
export class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (HEADER + SLOT * MAX_THREADS)));
  private readonly message = new Uint16Array(new SharedArrayBuffer(2 * MESSAGE_UNITS));
  private readonly workers: WorkerHandle[] = [];
  private readonly seq: number[] = [];
  private closed = false;
  /** Set once a worker was retired: the pool then runs on the caller alone (a worker's death is rare and final). */
  private retired = false;

  /**
   * @param stealAfterMs How long the caller waits for a worker to claim its part before running the part itself
   * and retiring the worker: a worker that died or was terminated must not hang every later op.
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly kernels: readonly PoolKernel[],
    private readonly stealAfterMs = 2000,
  ) {}

  /**
   * Starts workers up to `threads` in all and, where the runtime can (Node), waits at most `timeoutMs` until they
   * are ready. A browser worker's own workers only start once it yields, so there this returns at once.
   */
  warmUp(threads: number, timeoutMs = 10_000): void {
    const deadline = Date.now() + timeoutMs;
    this.parallelism(threads);
    if (threadRuntime().bootsWhileBlocked !== true) return;
    for (let w = 0; w < Math.min(this.workers.length, threads - 1); w++) {
      const ready = this.base(w) + READY;
      for (let left = deadline - Date.now(); Atomics.load(this.control, ready) === 0 && left > 0; left = deadline - Date.now()) {
        Atomics.wait(this.control, ready, 0, left);
      }
    }
  }

  /** How many parts a call can run at once with at most `threads` threads: 1 plus the workers ready now. */
  parallelism(threads: number): number {
    const spawn = threadRuntime().spawn;
    if (this.closed || this.retired) return 1;
    while (spawn !== undefined && this.workers.length < threads - 1) this.start(spawn);
    let ready = 0;
    for (let w = 0; w < Math.min(this.workers.length, threads - 1); w++) {
      if (Atomics.load(this.control, this.base(w) + READY) === 1) ready++;
      else break;
    }
    return 1 + ready;
  }

  /**
   * Runs `kernel` once per argument list at the same time: `parts[0]` on this thread, `parts[w + 1]` on worker w
   * (which `parallelism` said is ready). Returns when all have finished.
   */
  run(kernel: number, parts: readonly (readonly number[])[]): void {
    const c = this.control;
    let target = Atomics.load(c, DONE) + parts.length - 1;
    for (let w = 0; w + 1 < parts.length; w++) {
      const args = parts[w + 1];
      if (args.length > MAX_ARGS) throw new RangeError(`ThreadPool.run: at most ${MAX_ARGS} kernel arguments`);
      const base = this.base(w);
      c[base + KERNEL] = kernel;
      c[base + ARG_COUNT] = args.length;
      for (let i = 0; i < args.length; i++) c[base + ARGS + i] = args[i];
      Atomics.store(c, base + CLAIM, OPEN);
      this.seq[w]++;
      Atomics.store(c, base + SEQ, this.seq[w]);
      Atomics.notify(c, base + SEQ);
    }
    // The workers are waited for even when this thread's part throws: they must not run on into the next call.
    let callerError: unknown = null;
    const runHere = (args: readonly number[]): void => {
      try {
        this.kernels[kernel].call(...args);
      } catch (error) {
        callerError ??= error;
      }
    };
    runHere(parts[0]);
    for (let spin = 0; spin < SPINS && Atomics.load(c, DONE) < target; spin++);
    for (let done = Atomics.load(c, DONE); done < target; done = Atomics.load(c, DONE)) {
      if (Atomics.wait(c, DONE, done, this.stealAfterMs) === 'timed-out') target -= this.takeBackUnclaimed(parts, runHere);
    }
    if (callerError !== null) {
      Atomics.store(c, FAILED, 0);
      throw callerError;
    }
    if (Atomics.load(c, FAILED) !== 0) {
      // Every worker is done with the call, so the message is complete.
      const text = String.fromCharCode(...this.message.subarray(1, 1 + this.message[0]));
      Atomics.store(c, FAILED, 0);
      throw new Error(`a CPU worker thread failed while running a kernel: ${text}; the op's result was not written`);
    }
  }

  /**
   * Runs, on this thread, every part no worker has claimed, and retires those workers (they never woke: dead or
   * terminated); returns how many parts it took. A claimed part is left to its worker, however long it takes.
   */
  private takeBackUnclaimed(parts: readonly (readonly number[])[], runHere: (args: readonly number[]) => void): number {
    let taken = 0;
    for (let w = 0; w + 1 < parts.length; w++) {
      if (Atomics.compareExchange(this.control, this.base(w) + CLAIM, OPEN, STOLEN) !== OPEN) continue;
      this.retired = true;
      taken++;
      runHere(parts[w + 1]);
    }
    if (taken > 0) warnRetired(taken);
    return taken;
  }

  private base(worker: number): number {
    return HEADER + worker * SLOT;
  }

  private start(spawn: (source: string, data: unknown) => WorkerHandle): void {
    const w = this.workers.length;
    this.seq.push(0);
    const kernels = this.kernels.map(({ module, name }) => ({ module, name }));
    this.workers.push(spawn(WORKER_SOURCE, { kernels, memory: this.memory, control: this.control, message: this.message, base: this.base(w) }));
  }

  /** Stops every worker for good; later calls run on the caller alone. A process exits without this: workers do not keep it alive. */
  close(): void {
    for (let w = 0; w < this.workers.length; w++) {
      const base = this.base(w);
      this.control[base + KERNEL] = STOP;
      Atomics.store(this.control, base + SEQ, ++this.seq[w]);
      Atomics.notify(this.control, base + SEQ);
    }
    this.closed = true;
  }
}
