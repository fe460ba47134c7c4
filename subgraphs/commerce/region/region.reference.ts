import { regionStub as regionStubOf, resolveRegionStub } from '../../shared/references.js';
import { CODE_LEVELS } from '../rollup/rollup.rebuild.js';

/** The places subgraph owns regions; commerce contributes fields to them by code. */
// `ruralVillageCount` is required by `commerce` for per-village figures of the index, and the
// children's codes for `childRanking`: a child without any commerce record has no rollup row
// and is ranked with zeros, never left out.
export const Region = regionStubOf({ ruralVillageCount: true, children: true });
export type Region = InstanceType<typeof Region>;

export function isRegionCode(code: string): boolean {
  return /^\d+$/.test(code) && CODE_LEVELS.slice(0, 4).includes(code.length as 2);
}

export function regionStub(code: string): Region {
  return Object.assign(new Region(), { code });
}

/** The gateway sends `{ code, ruralVillageCount, children }` when `commerce` is selected. */
const regionFromRef = resolveRegionStub(Region);
export function resolveRegionReference(ref: Parameters<typeof regionFromRef>[0]): Region | null {
  return isRegionCode(ref.code) ? regionFromRef(ref) : null;
}
