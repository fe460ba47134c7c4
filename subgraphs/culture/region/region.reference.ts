import { regionStub, resolveRegionStub } from '../../shared/references.js';

export type { ChildCount } from '../../shared/references.js';

/**
 * The places subgraph owns regions; culture contributes `Region.culture` by code and asks the
 * gateway for the region's rural village count (owned by places) to compute coverage, and for
 * its children's counts to rank them by coverage.
 */
export const Region = regionStub({ ruralVillageCount: true, children: true });
export type Region = InstanceType<typeof Region>;

/** The gateway sends `{ code, ruralVillageCount, children }` when `culture` is selected. */
export const resolveRegionReference = resolveRegionStub(Region);
