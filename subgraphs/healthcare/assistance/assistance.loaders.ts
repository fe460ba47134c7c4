import type DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { findIn, groupLoader, rowLoader } from '../../shared/loaders.js';
import { AssistancePoint } from './assistance-point.entity.js';
import { AssistedBookingMonth } from './assisted-booking.entity.js';

export interface MonthRange {
  from: string;
  to: string;
}

export function createAssistanceLoaders(em: EntityManager) {
  // One loader per month range asked for in the request: each batches all its points.
  const byRange = new Map<string, DataLoader<string, AssistedBookingMonth[]>>();
  return {
    pointById: rowLoader<string, AssistancePoint>(
      (ids) => findIn(em, AssistancePoint, 'id', ids),
      (p) => p.id,
    ),
    pointsByVillage: groupLoader<string, AssistancePoint>(
      (codes) => findIn(em, AssistancePoint, 'villageCode', codes, { orderBy: 'id' }),
      (p) => p.villageCode,
    ),
    bookingsByPoint(range: MonthRange): DataLoader<string, AssistedBookingMonth[]> {
      const key = `${range.from}|${range.to}`;
      let loader = byRange.get(key);
      if (!loader) {
        loader = groupLoader<string, AssistedBookingMonth>(
          (ids) =>
            findIn(em, AssistedBookingMonth, 'pointId', ids, {
              between: { prop: 'month', ...range },
              orderBy: ['pointId', 'month'],
            }),
          (b) => b.pointId,
        );
        byRange.set(key, loader);
      }
      return loader;
    },
  };
}
