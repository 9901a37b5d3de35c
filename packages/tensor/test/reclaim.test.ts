import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Backend, GarbageCollector } from '@descent/backend';
import { cpu, ones, registerBackend, unregisterBackend, type Tensor } from '../src/index.js';

/** The CPU backend posing as one that is not garbage collected (a GPU), counting its live buffers. */
function countingBackend(collector: Omit<GarbageCollector, 'collectionDue'> | null) {
  const base = cpu.backend;
  const live = new Set<unknown>();
  let collections = 0;
  const track = <B>(buffer: B): B => (live.add(buffer), buffer);
  const backend: Backend = Object.assign(Object.create(base) as Backend, {
    name: 'countingdev',
    gcManaged: false,
    collector: collector && { ...collector, collectionDue: () => live.size > 1000 && ++collections > 0 },
    alloc: (n: number, d: Parameters<Backend['alloc']>[1]) => track(base.alloc(n, d)),
    upload: (data: Parameters<Backend['upload']>[0], d: Parameters<Backend['upload']>[1]) => track(base.upload(data, d)),
    binary: (...args: Parameters<Backend['binary']>) => track(base.binary(...args)),
    free: (buffer: unknown) => void live.delete(buffer),
  });
  return { backend, live, collections: () => collections };
}

function nodeCollector(): Omit<GarbageCollector, 'collectionDue'> {
  setFlagsFromString('--expose-gc');
  setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
  const fresh = runInNewContext('({ gc, FinalizationRegistry })') as { gc: () => void; FinalizationRegistry: FinalizationRegistryConstructor };
  return { collectGarbage: fresh.gc, createRegistry: (cleanup) => new fresh.FinalizationRegistry(cleanup) };
}

describe('buffers of a backend that is not garbage collected', () => {
  it('come back inside a loop that never awaits, when the backend says a collection is due', () => {
    const { backend, live, collections } = countingBackend(nodeCollector());
    const device = registerBackend(backend);
    try {
      const kept: Tensor[] = [];
      let acc = ones(4, { device });
      for (let step = 1; step <= 20_000; step++) {
        acc = acc.add(1); // drops the last step's tensor
        if (step % 5000 === 0) kept.push(acc);
      }
      expect(collections()).toBeGreaterThan(5);
      expect(live.size).toBeLessThanOrEqual(1001 + 1);
      // What is still referenced was never freed.
      expect(kept.map((t) => (t.tolist() as number[])[0])).toEqual([5001, 10001, 15001, 20001]);
    } finally {
      unregisterBackend('countingdev');
    }
  });

  it('wait for the event loop where the runtime cannot collect synchronously (a browser)', () => {
    const { backend, live } = countingBackend(null);
    const device = registerBackend(backend);
    try {
      let acc = ones(4, { device });
      for (let step = 1; step <= 3000; step++) acc = acc.add(1);
      expect(live.size).toBeGreaterThanOrEqual(3001); // every step's buffer, until the loop yields
      expect(acc.tolist()).toEqual([3001, 3001, 3001, 3001]);
    } finally {
      unregisterBackend('countingdev');
    }
  });
});
