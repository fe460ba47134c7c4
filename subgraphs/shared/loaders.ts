import DataLoader from 'dataloader';

/**
 * A request-scoped loader for one row per key: `batch` issues one `IN (...)` query; rows are
 * re-ordered through a Map and a missing key resolves to `null`.
 */
export function rowLoader<K extends string | number, V>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const byKey = new Map<K, V>();
    for (const row of await batch(keys)) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** Like rowLoader, for many rows per key: a missing key resolves to `[]`. */
export function groupLoader<K extends string | number, V>(
  batch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const byKey = new Map<K, V[]>();
    for (const row of await batch(keys)) {
      const k = keyOf(row);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
