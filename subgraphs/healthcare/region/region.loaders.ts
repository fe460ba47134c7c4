import type DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { groupLoader, rowLoader } from '../../shared/loaders.js';
import type { MonthRange } from '../assistance/assistance.loaders.js';
import { RegionBookingRollup, RegionHealthcareRollup } from './region-rollup.entity.js';

export function createRegionLoaders(em: EntityManager) {
  const byRange = new Map<string, DataLoader<string, RegionBookingRollup[]>>();
  return {
    rollupByRegion: rowLoader<string, RegionHealthcareRollup>(
      (codes) => em.find(RegionHealthcareRollup, { regionCode: { $in: [...codes] } }),
      (r) => r.regionCode,
    ),
    /** All regions asking for the same month range share one query. */
    bookingsByRegion(range: MonthRange): DataLoader<string, RegionBookingRollup[]> {
      const key = `${range.from}|${range.to}`;
      let loader = byRange.get(key);
      if (!loader) {
        loader = groupLoader<string, RegionBookingRollup>(
          (codes) =>
            em.find(
              RegionBookingRollup,
              { regionCode: { $in: [...codes] }, month: { $gte: range.from, $lte: range.to } },
              { orderBy: { regionCode: 1, month: 1 } },
            ),
          (r) => r.regionCode,
        );
        byRange.set(key, loader);
      }
      return loader;
    },
  };
}
