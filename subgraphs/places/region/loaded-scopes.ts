import { villagesUnder } from '../../shared/division-codes.js';
import type { HeldScope } from '../../shared/loaded-scope.js';
import type { Region } from './region.entity.js';

/** The prefixes among `prefixes` that lie inside or above `code`. */
function nearOf(prefixes: readonly string[], code: string): string[] {
  return prefixes.filter((p) => p.startsWith(code) || code.startsWith(p));
}

/**
 * The official villages `near` gives the region: places holds every village of the official
 * list under each scope it recorded, so a region holds those under its scopes inside it, or all
 * of its own under a scope above it.
 */
async function villagesOf(near: readonly string[], r: Region): Promise<number> {
  let expected = 0;
  for (const p of near) expected += await villagesUnder(p.startsWith(r.code) ? p : r.code);
  return expected;
}

/**
 * Places' `Region.loadedScopes`: the scopes places was loaded with that lie inside or above the
 * region (loaded-scope.ts), null when not known. The scopes as last read are checked against
 * the region's village count, already read: they account for it unless a load in another
 * process added villages since, and only then are they read again (at most once a second), so
 * a region view costs places no statement more. Scopes that give the region more villages than
 * it has are those of a load under way (the domains refuse more, never less); fewer, a database
 * that holds villages of a scope it did not record: not known.
 */
export async function loadedScopesOf(
  r: Region,
  held: HeldScope | undefined,
): Promise<string[] | null> {
  if (!held) return null;
  const known = nearOf(held.known, r.code);
  if (held.known.length > 0 && (await villagesOf(known, r)) === r.villageCount) return known;
  const prefixes = await held.current();
  const near = nearOf(prefixes, r.code);
  if (prefixes.length === 0 || (await villagesOf(near, r)) < r.villageCount) return null;
  return near;
}

/**
 * Starts reading the official village codes (about 0.7 s, 5 MB) when places starts, so the
 * first region a domain asks about does not wait for them.
 */
export function warmVillageCodes(): void {
  villagesUnder('').catch(() => undefined);
}
