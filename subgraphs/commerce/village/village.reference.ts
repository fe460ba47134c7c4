import { resolveVillageStub, villageStub } from '../../shared/references.js';

/** The places subgraph owns villages; commerce contributes fields to them by code. */
export const Village = villageStub();
export type Village = InstanceType<typeof Village>;

export const resolveVillageReference = resolveVillageStub(Village);
