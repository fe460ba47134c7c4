import { regionStub } from '../../shared/references.js';

/** The places subgraph owns regions; this subgraph contributes `healthcare` to them by code. */
export const Region = regionStub();
export type Region = InstanceType<typeof Region>;

export function resolveRegionReference(ref: { code: string }): Region {
  return Object.assign(new Region(), { code: ref.code });
}
