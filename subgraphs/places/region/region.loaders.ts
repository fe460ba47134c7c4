import type { EntityManager } from '../../shared/database.js';
import { rowBy, rowsBy } from '../../shared/loaders.js';
import { Region } from './region.entity.js';

export function createRegionLoaders(em: EntityManager) {
  return {
    regionByCode: rowBy(em, Region, 'code'),
    regionChildren: rowsBy(em, Region, 'parentCode', { orderBy: 'code' }),
  };
}
