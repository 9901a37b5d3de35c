/**
 * Faults: CUDA's sticky errors, per tensor instead of per device. A GPU kernel cannot throw, and a WebGPU error
 * scope only answers after the work was submitted, so what can go wrong in an op (an index out of range, an
 * int64 result past int32, a batch the device rejected, a buffer it could not create) is a `Fault` that settles
 * later: clean, or failed with the error that names the op. Every buffer carries the faults its values depend on
 * (its taint): a kernel's output inherits its inputs' taint plus the faults of its own dispatch, so reading a
 * failed tensor, or anything computed from it, raises that error, while tensors that never touched it read
 * normally.
 */

type State = 'pending' | 'clean' | 'failed';

/** Taints longer than this fold into one composite fault, so a loop that never syncs keeps them short. */
const MAX_TAINT = 8;

/**
 * Counts leaf settlements. A composite recomputes its state only when this moved since it last looked, so a
 * chain of composites sharing parts (every step of a loop that never awaits) is walked once per settlement, not
 * once per path through it.
 */
let settlements = 0;

export class Fault {
  private state: State = 'pending';
  private error: Error | null = null;
  private resolve: (() => void) | null = null;
  private settledPromise: Promise<void> | null = null;
  /** A composite's `settlements` count when its state was last computed. */
  private lookedAt = -1;
  /** Set once a read or a sync has raised this fault's error: a sync raises each failure once. */
  reported = false;

  constructor(
    /** The op (or batch of ops) whose work this fault covers. */
    readonly op: string,
    private readonly onFail: ((fault: Fault) => void) | null = null,
    /** A composite fault: failed as soon as one part fails, clean once all are. */
    private readonly parts: readonly Fault[] | null = null,
  ) {}

  /** One fault standing for several (see `MAX_TAINT`). */
  static all(parts: readonly Fault[]): Fault {
    return new Fault('composite', null, parts);
  }

  /** Settles a pending leaf fault: `error` null means the work it covers ran cleanly. */
  settle(error: Error | null): void {
    if (this.state !== 'pending' || this.parts) return;
    this.state = error ? 'failed' : 'clean';
    this.error = error;
    settlements++;
    this.resolve?.();
    if (error) this.onFail?.(this);
  }

  get clean(): boolean {
    return this.refresh() === 'clean';
  }

  get pending(): boolean {
    return this.refresh() === 'pending';
  }

  /** The failed leaf fault behind this one, once known (a composite's first failed part). */
  failure(): Fault | null {
    if (this.refresh() !== 'failed') return null;
    let parts = this.parts;
    if (!parts) return this;
    for (;;) {
      const failed = parts.find((part) => part.refresh() === 'failed') as Fault;
      if (!failed.parts) return failed;
      parts = failed.parts;
    }
  }

  /** Resolves when the fault is no longer pending (a composite: when every part settled, or one failed). */
  settled(): Promise<void> {
    if (this.refresh() !== 'pending') return Promise.resolve();
    if (this.parts) return (this.settledPromise ??= Promise.all(this.pendingLeaves().map((p) => p.settled())).then(() => undefined));
    return (this.settledPromise ??= new Promise<void>((resolve) => (this.resolve = resolve)));
  }

  /** A composite's pending leaves, each once. */
  private pendingLeaves(): Fault[] {
    const leaves = new Set<Fault>();
    const seen = new Set<Fault>();
    const stack: Fault[] = [this];
    for (let fault = stack.pop(); fault !== undefined; fault = stack.pop()) {
      if (seen.has(fault) || fault.state !== 'pending') continue;
      seen.add(fault);
      if (fault.parts) stack.push(...fault.parts);
      else leaves.add(fault);
    }
    return [...leaves];
  }

  /** A new error with the failure's message and class, thrown where the tensor is read (its stack points there). */
  raise(): Error {
    const failed = this.failure();
    if (!failed?.error) throw new Error(`fault of ${this.op} raised before it failed`);
    failed.reported = true;
    const Kind = failed.error instanceof RangeError ? RangeError : Error;
    return new Kind(failed.error.message);
  }

  /**
   * A composite's state from its parts'. Composites chain as deep as a loop that never awaits runs steps (each
   * step's taint folds the last one's), so the walk keeps its own stack: parts first, each composite once per
   * settlement count.
   */
  private refresh(): State {
    if (this.state !== 'pending' || !this.parts || this.lookedAt === settlements) return this.state;
    this.lookedAt = settlements;
    const stack: { fault: Fault; next: number }[] = [{ fault: this, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const parts = top.fault.parts as readonly Fault[];
      if (top.next < parts.length) {
        const part = parts[top.next++];
        if (part.parts && part.state === 'pending' && part.lookedAt !== settlements) {
          part.lookedAt = settlements;
          stack.push({ fault: part, next: 0 });
        }
        continue;
      }
      stack.pop();
      let state: State = 'clean';
      for (const part of parts) {
        if (part.state === 'failed') {
          state = 'failed';
          break;
        }
        if (part.state === 'pending') state = 'pending';
      }
      top.fault.state = state;
    }
    return this.state;
  }
}

/** The faults a buffer's values depend on that have not settled clean. */
export type Taint = readonly Fault[];

export const CLEAN: Taint = Object.freeze([]) as Taint;

/** The union of taints, without clean or repeated faults: what an op's output depends on. */
export function mergeTaints(...taints: Taint[]): Taint {
  let out: Fault[] | null = null;
  for (const taint of taints) {
    for (const fault of taint) {
      if (fault.clean) continue;
      if (out === null) out = [fault];
      else if (!out.includes(fault)) out.push(fault);
    }
  }
  if (out === null) return CLEAN;
  return out.length > MAX_TAINT ? [Fault.all(out)] : out;
}

/** Waits until every fault of `taint` settled (or one failed), then returns the first failure, if any. */
export async function firstFailure(taint: Taint): Promise<Fault | null> {
  await Promise.all(taint.map((f) => f.settled()));
  for (const fault of taint) {
    const failed = fault.failure();
    if (failed) return failed;
  }
  return null;
}
