/**
 * Sets `key` as the most recently used entry of `map`, first dropping the least recently used one when the map holds
 * `max` entries (a Map keeps insertion order, so re-setting a key moves it last). Setting a key already present never
 * drops another. A few lines instead of an LRU package: the caches that use it only need this one rule.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
