import type { EntityManager } from '../../shared/database.js';
import { findIn, groupLoader, rowLoader } from '../../shared/loaders.js';
import { Region } from './region.entity.js';

export function createRegionLoaders(em: EntityManager) {
  return {
    regionByCode: rowLoader<string, Region>(
      (codes) => findIn(em, Region, 'code', codes),
      (r) => r.code,
    ),
    regionChildren: groupLoader<string, Region>(
      (codes) => findIn(em, Region, 'parentCode', codes, { orderBy: 'code' }),
      (r) => r.parentCode!,
    ),
  };
}
