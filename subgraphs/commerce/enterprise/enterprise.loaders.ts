import type { EntityManager } from '../../shared/database.js';
import { groupLoader, rowLoader } from '../../shared/loaders.js';
import { EcommercePark } from '../park/park.entity.js';
import { ServicePoint } from '../service-point/service-point.entity.js';
import { Enterprise, EnterpriseYear } from './enterprise.entity.js';

/** Loaders for enterprises, their years, parks and service points (one IN query per batch). */
export function createEnterpriseLoaders(em: EntityManager) {
  return {
    enterpriseById: rowLoader<string, Enterprise>(
      (ids) => em.find(Enterprise, { id: { $in: [...ids] } }),
      (e) => e.id,
    ),
    enterprisesByVillage: groupLoader<string, Enterprise>(
      (codes) =>
        em.find(Enterprise, { villageCode: { $in: [...codes] } }, { orderBy: { id: 'asc' } }),
      (e) => e.villageCode!,
    ),
    enterprisesByPark: groupLoader<string, Enterprise>(
      (ids) => em.find(Enterprise, { parkId: { $in: [...ids] } }, { orderBy: { id: 'asc' } }),
      (e) => e.parkId!,
    ),
    enterpriseYears: groupLoader<string, EnterpriseYear>(
      (ids) =>
        em.find(
          EnterpriseYear,
          { enterpriseId: { $in: [...ids] } },
          { orderBy: { enterpriseId: 'asc', year: 'asc' } },
        ),
      (y) => y.enterpriseId,
    ),
    parkById: rowLoader<string, EcommercePark>(
      (ids) => em.find(EcommercePark, { id: { $in: [...ids] } }),
      (p) => p.id,
    ),
    servicePointsByVillage: groupLoader<string, ServicePoint>(
      (codes) =>
        em.find(ServicePoint, { villageCode: { $in: [...codes] } }, { orderBy: { id: 'asc' } }),
      (p) => p.villageCode,
    ),
  };
}
