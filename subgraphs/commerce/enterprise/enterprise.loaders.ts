import type { EntityManager } from '../../shared/database.js';
import { findIn, groupLoader, rowLoader } from '../../shared/loaders.js';
import { EcommercePark } from '../park/park.entity.js';
import { ServicePoint } from '../service-point/service-point.entity.js';
import { Enterprise, EnterpriseYear } from './enterprise.entity.js';

/** Loaders for enterprises, their years, parks and service points (one IN query per batch). */
export function createEnterpriseLoaders(em: EntityManager) {
  return {
    enterpriseById: rowLoader<string, Enterprise>(
      (ids) => findIn(em, Enterprise, 'id', ids),
      (e) => e.id,
    ),
    enterprisesByVillage: groupLoader<string, Enterprise>(
      (codes) => findIn(em, Enterprise, 'villageCode', codes, { orderBy: 'id' }),
      (e) => e.villageCode!,
    ),
    enterprisesByPark: groupLoader<string, Enterprise>(
      (ids) => findIn(em, Enterprise, 'parkId', ids, { orderBy: 'id' }),
      (e) => e.parkId!,
    ),
    enterpriseYears: groupLoader<string, EnterpriseYear>(
      (ids) =>
        findIn(em, EnterpriseYear, 'enterpriseId', ids, { orderBy: ['enterpriseId', 'year'] }),
      (y) => y.enterpriseId,
    ),
    parkById: rowLoader<string, EcommercePark>(
      (ids) => findIn(em, EcommercePark, 'id', ids),
      (p) => p.id,
    ),
    servicePointsByVillage: groupLoader<string, ServicePoint>(
      (codes) => findIn(em, ServicePoint, 'villageCode', codes, { orderBy: 'id' }),
      (p) => p.villageCode,
    ),
  };
}
