import { regionStub as regionStubOf } from '../../shared/references.js';
import { CODE_LEVELS } from '../rollup/rollup.rebuild.js';

/** The places subgraph owns regions; commerce contributes fields to them by code. */
// `ruralVillageCount` is required by `commerce` for per-village figures of the index.
export const Region = regionStubOf({ ruralVillageCount: true });
export type Region = InstanceType<typeof Region>;

export function isRegionCode(code: string): boolean {
  return /^\d+$/.test(code) && CODE_LEVELS.slice(0, 4).includes(code.length as 2);
}

export function regionStub(code: string): Region {
  return Object.assign(new Region(), { code });
}

/** The gateway sends `{ code, ruralVillageCount }` when `commerce` is selected. */
export function resolveRegionReference(ref: {
  code: string;
  ruralVillageCount?: number | null;
}): Region | null {
  if (!isRegionCode(ref.code)) return null;
  return Object.assign(regionStub(ref.code), { ruralVillageCount: ref.ruralVillageCount ?? null });
}
