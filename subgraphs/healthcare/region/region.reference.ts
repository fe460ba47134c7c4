import { regionStub, resolveRegionStub } from '../../shared/references.js';

/**
 * The places subgraph owns regions; this subgraph contributes `healthcare` to them by code. Its
 * figures have their own denominators; the view `@requires` the children places lists (with
 * the same selection as culture's and commerce's, so that the planners fetch them once) only to
 * tell a region it holds whole from one places holds more of (loaded-scope.ts).
 */
export const Region = regionStub({ ruralVillageCount: true, children: true });
export type Region = InstanceType<typeof Region>;

/** The gateway sends `{ code, ruralVillageCount, children }` when `healthcare` is selected. */
export const resolveRegionReference = resolveRegionStub(Region);
