import type { EntityManager } from '../../shared/database.js';
import { rowLoader } from '../../shared/loaders.js';
import { Auditorium } from './auditorium.entity.js';

export function createAuditoriumLoaders(em: EntityManager) {
  return {
    auditoriumById: rowLoader<string, Auditorium>(
      (ids) => em.find(Auditorium, { id: { $in: [...ids] } }),
      (a) => a.id,
    ),
    /** A village has at most one auditorium. */
    auditoriumByVillage: rowLoader<string, Auditorium>(
      (codes) => em.find(Auditorium, { villageCode: { $in: [...codes] } }),
      (a) => a.villageCode,
    ),
  };
}
