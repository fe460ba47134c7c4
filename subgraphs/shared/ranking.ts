/**
 * Helpers the domain subgraphs share for rankings and the digital-village index components.
 */

/**
 * Orders rows for a child ranking: highest value first, null values last, ties by code — the
 * order every `childRanking` field documents.
 */
export function byValueDesc<T extends { code: string; value: number | bigint | null }>(
  a: T,
  b: T,
): number {
  if (a.value === b.value) return a.code.localeCompare(b.code);
  if (b.value === null) return -1;
  if (a.value === null) return 1;
  return a.value > b.value ? -1 : 1;
}

/** Rounded to 4 decimals, as index components are published. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** An index component: clamped to [0, 1], then rounded to 4 decimals. */
export const capped = (x: number) => round4(Math.min(1, Math.max(0, x)));
