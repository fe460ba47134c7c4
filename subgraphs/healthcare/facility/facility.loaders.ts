import type { EntityManager } from '../../shared/database.js';
import { rowLoader } from '../../shared/loaders.js';
import { Facility, FacilityLevel } from './facility.entity.js';

export function createFacilityLoaders(em: EntityManager) {
  return {
    facilityById: rowLoader<string, Facility>(
      (ids) => em.find(Facility, { id: { $in: [...ids] } }),
      (f) => f.id,
    ),
    /** A village has at most one village clinic. */
    clinicByVillage: rowLoader<string, Facility>(
      (codes) =>
        em.find(Facility, {
          villageCode: { $in: [...codes] },
          level: FacilityLevel.VILLAGE_CLINIC,
        }),
      (f) => f.villageCode!,
    ),
  };
}
