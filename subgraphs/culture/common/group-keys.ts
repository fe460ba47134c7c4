/** Groups keys that share everything but the parent id, so each group is one query. */
export function groupKeys<K>(keys: readonly K[], groupOf: (k: K) => string): K[][] {
  const groups = new Map<string, K[]>();
  for (const k of keys) groups.set(groupOf(k), [...(groups.get(groupOf(k)) ?? []), k]);
  return [...groups.values()];
}
