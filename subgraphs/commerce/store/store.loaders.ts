import type { EntityManager } from '../../shared/database.js';
import { groupLoader, rowLoader } from '../../shared/loaders.js';
import { OnlineStore } from './store.entity.js';

export function createStoreLoaders(em: EntityManager) {
  return {
    storeById: rowLoader<string, OnlineStore>(
      (ids) => em.find(OnlineStore, { id: { $in: [...ids] } }),
      (s) => s.id,
    ),
    storesByVillage: groupLoader<string, OnlineStore>(
      (codes) =>
        em.find(OnlineStore, { villageCode: { $in: [...codes] } }, { orderBy: { id: 'asc' } }),
      (s) => s.villageCode,
    ),
  };
}
