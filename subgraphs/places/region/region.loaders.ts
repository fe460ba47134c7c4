import type { EntityManager } from '../../shared/database.js';
import { groupLoader, rowLoader } from '../../shared/loaders.js';
import { Region } from './region.entity.js';

export function createRegionLoaders(em: EntityManager) {
  return {
    regionByCode: rowLoader<string, Region>(
      (codes) => em.find(Region, { code: { $in: [...codes] } }),
      (r) => r.code,
    ),
    regionChildren: groupLoader<string, Region>(
      (codes) => em.find(Region, { parentCode: { $in: [...codes] } }, { orderBy: { code: 'asc' } }),
      (r) => r.parentCode!,
    ),
  };
}
