/** `map.get(key)` for a key the caller put there itself; a miss is a bug in this package, reported as one. */
export function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal error: no entry for ${String(key)} (please report this)`);
  return value;
}
