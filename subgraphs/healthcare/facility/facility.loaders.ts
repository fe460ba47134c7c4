import type { EntityManager } from '../../shared/database.js';
import { rowBy, rowsBy } from '../../shared/loaders.js';
import { VillageAccess } from '../access/village-access.entity.js';
import { TelemedicineLink } from '../telemedicine/telemedicine-link.entity.js';
import { Facility, FacilityLevel } from './facility.entity.js';

export function createFacilityLoaders(em: EntityManager) {
  return {
    facilityById: rowBy(em, Facility, 'id'),
    /** A village has at most one village clinic. */
    clinicByVillage: rowBy(em, Facility, 'villageCode', {
      where: { level: FacilityLevel.VILLAGE_CLINIC },
    }),
    accessByVillage: rowBy(em, VillageAccess, 'villageCode'),
    telemedicineByFacility: rowsBy(em, TelemedicineLink, 'facilityId', { orderBy: 'partnerId' }),
  };
}
