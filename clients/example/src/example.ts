import { createClient } from './client.js';
import {
  RegionOverviewDocument,
  RegionVillagesDocument,
  VillageChangesDocument,
  VillageProfileDocument,
  type RegionVillagesQuery,
  type VillageKind,
} from './generated/graphql.js';

const request = createClient('http://localhost:4000/graphql');

/** A village card: every field access below is checked against the schema at compile time. */
export async function villageCard(code: string): Promise<string> {
  const { village } = await request(VillageProfileDocument, { code });
  if (!village) return `${code}: no such village`;
  const auditorium = village.culture?.auditorium;
  const services = auditorium ? auditorium.services.join(', ') : 'no auditorium';
  const clinic = village.healthcare?.clinic?.name ?? 'no clinic';
  const township = village.township?.name ?? '?';
  return `${village.name.trim()} (${township}): ${services}; ${clinic}; ${village.commerce?.storeCount ?? 0} stores`;
}

/** Share of rural villages per child region, highest first. */
export async function ruralShares(code: string): Promise<{ name: string; share: number }[]> {
  const { region } = await request(RegionOverviewDocument, { code });
  return (region?.children ?? [])
    .map((c) => ({
      name: c.name,
      share: c.villageCount ? c.ruralVillageCount / c.villageCount : 0,
    }))
    .sort((a, b) => b.share - a.share);
}

/** All villages of a region, following the connection page by page. */
export async function allVillages(regionCode: string, kind?: VillageKind): Promise<string[]> {
  const codes: string[] = [];
  let after: string | null | undefined = null;
  do {
    const { villages }: RegionVillagesQuery = await request(RegionVillagesDocument, {
      regionCode,
      kind,
      first: 100,
      after,
    });
    codes.push(...villages.edges.map((e) => e.node.code));
    after = villages.pageInfo.hasNextPage ? villages.pageInfo.endCursor : undefined;
  } while (after);
  return codes;
}

/**
 * A partner's copy kept in sync (docs/partners.md, "The partner's loop"): `position` is the
 * feed's end taken before the copy was exported (`feedPosition()`); each call lists the
 * villages changed since, to export again by code, the regions changed as a whole (export them
 * again by `regionCode`), and returns the position to call with next.
 */
export async function feedPosition(): Promise<string> {
  const { villageChanges } = await request(VillageChangesDocument, { since: null });
  return villageChanges.pageInfo.endCursor;
}

export async function changedSince(
  position: string,
): Promise<{ codes: string[]; regions: string[]; position: string }> {
  const codes = new Set<string>();
  // A change to a region only (a township health centre, a county's enterprise) shows in the
  // profile of every village of it: export the region again.
  const regions = new Set<string>();
  let since = position;
  for (;;) {
    const { villageChanges } = await request(VillageChangesDocument, { since, first: 1000 });
    for (const change of villageChanges.nodes) {
      if (change.villageCode) codes.add(change.villageCode);
      else if (change.regionCode) regions.add(change.regionCode);
    }
    since = villageChanges.pageInfo.endCursor;
    if (!villageChanges.pageInfo.hasNextPage) {
      return { codes: [...codes], regions: [...regions], position: since };
    }
  }
}
