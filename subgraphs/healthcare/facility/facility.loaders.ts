import type { EntityManager } from '../../shared/database.js';
import { groupLoader, rowLoader } from '../../shared/loaders.js';
import { VillageAccess } from '../access/village-access.entity.js';
import { TelemedicineLink } from '../telemedicine/telemedicine-link.entity.js';
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
    accessByVillage: rowLoader<string, VillageAccess>(
      (codes) => em.find(VillageAccess, { villageCode: { $in: [...codes] } }),
      (a) => a.villageCode,
    ),
    telemedicineByFacility: groupLoader<string, TelemedicineLink>(
      (ids) =>
        em.find(TelemedicineLink, { facilityId: { $in: [...ids] } }, { orderBy: { partnerId: 1 } }),
      (l) => l.facilityId,
    ),
  };
}
