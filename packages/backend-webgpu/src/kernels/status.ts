/**
 * A faulting kernel's slot in the backend's fault log (../fault-log.ts), bound like a tensor: word 0 counts bad
 * indices, word 1 flags an int64 overflow (./int64.ts), word 2 keeps the bad index the first thread met. The
 * backend reads the slot at the next read or sync and fails the op's output (and what depends on it) there.
 */
export function statusWgsl(binding: number): string {
  return /* wgsl */ `@group(0) @binding(${binding}) var<storage, read_write> status: array<atomic<u32>>;
fn flag_index(v: i32) { if (atomicAdd(&status[0u], 1u) == 0u) { atomicStore(&status[2u], bitcast<u32>(v)); } }`;
}
