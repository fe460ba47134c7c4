import type { EntityManager } from '../../shared/database.js';
import { rowBy, rowsBy } from '../../shared/loaders.js';
import { EcommercePark } from '../park/park.entity.js';
import { ServicePoint } from '../service-point/service-point.entity.js';
import { Enterprise, EnterpriseYear } from './enterprise.entity.js';

/** Loaders for enterprises, their years, parks and service points (one IN query per batch). */
export function createEnterpriseLoaders(em: EntityManager) {
  return {
    enterpriseById: rowBy(em, Enterprise, 'id'),
    enterprisesByVillage: rowsBy(em, Enterprise, 'villageCode', { orderBy: 'id' }),
    enterprisesByPark: rowsBy(em, Enterprise, 'parkId', { orderBy: 'id' }),
    enterpriseYears: rowsBy(em, EnterpriseYear, 'enterpriseId', {
      orderBy: ['enterpriseId', 'year'],
    }),
    parkById: rowBy(em, EcommercePark, 'id'),
    servicePointsByVillage: rowsBy(em, ServicePoint, 'villageCode', { orderBy: 'id' }),
  };
}
