import type { EntityManager } from '../../shared/database.js';
import { findIn, groupLoader, rowLoader } from '../../shared/loaders.js';
import { VillageAccess } from '../access/village-access.entity.js';
import { TelemedicineLink } from '../telemedicine/telemedicine-link.entity.js';
import { Facility, FacilityLevel } from './facility.entity.js';

export function createFacilityLoaders(em: EntityManager) {
  return {
    facilityById: rowLoader<string, Facility>(
      (ids) => findIn(em, Facility, 'id', ids),
      (f) => f.id,
    ),
    /** A village has at most one village clinic. */
    clinicByVillage: rowLoader<string, Facility>(
      (codes) =>
        findIn(em, Facility, 'villageCode', codes, {
          where: { level: FacilityLevel.VILLAGE_CLINIC },
        }),
      (f) => f.villageCode!,
    ),
    accessByVillage: rowLoader<string, VillageAccess>(
      (codes) => findIn(em, VillageAccess, 'villageCode', codes),
      (a) => a.villageCode,
    ),
    telemedicineByFacility: groupLoader<string, TelemedicineLink>(
      (ids) => findIn(em, TelemedicineLink, 'facilityId', ids, { orderBy: 'partnerId' }),
      (l) => l.facilityId,
    ),
  };
}
