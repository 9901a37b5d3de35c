import type { Backend, SyncFinalizationRegistry } from '@descent/backend';

/**
 * Frees the buffers of a backend that is not garbage collected (a GPU) once no tensor references their storage.
 * A registry's callbacks run in a task after a garbage collection, so a loop that never awaits would hold every
 * buffer it dropped until it ends. Where the backend has a synchronous collector (Node), the storage made after
 * live memory passed the backend's high-water mark collects first and frees what is unreachable, at once.
 */
class Reclaimer {
  private readonly registry: SyncFinalizationRegistry<unknown>;

  constructor(private readonly backend: Backend) {
    const free = (buffer: unknown) => backend.free(buffer);
    this.registry = backend.collector ? backend.collector.createRegistry(free) : new FinalizationRegistry(free);
  }

  /** Called as each storage is made: a safe point, between two backend calls, to free what is unreachable. */
  track(owner: object, buffer: unknown): void {
    const collector = this.backend.collector;
    if (collector?.collectionDue()) {
      collector.collectGarbage();
      this.registry.cleanupSome?.();
    }
    this.registry.register(owner, buffer, owner);
  }

  /** The owner freed its buffer itself (`dispose()`). */
  forget(owner: object): void {
    this.registry.unregister(owner);
  }
}

const reclaimers = new WeakMap<Backend, Reclaimer>();

/** The reclaimer of a backend that is not garbage collected. */
export function reclaimerOf(backend: Backend): Reclaimer {
  let reclaimer = reclaimers.get(backend);
  if (!reclaimer) reclaimers.set(backend, (reclaimer = new Reclaimer(backend)));
  return reclaimer;
}
