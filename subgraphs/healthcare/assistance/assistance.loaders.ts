import type DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { rowBy, rowsBy } from '../../shared/loaders.js';
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
    pointById: rowBy(em, AssistancePoint, 'id'),
    pointsByVillage: rowsBy(em, AssistancePoint, 'villageCode', { orderBy: 'id' }),
    bookingsByPoint(range: MonthRange): DataLoader<string, AssistedBookingMonth[]> {
      const key = `${range.from}|${range.to}`;
      let loader = byRange.get(key);
      if (!loader) {
        loader = rowsBy(em, AssistedBookingMonth, 'pointId', {
          between: { prop: 'month', ...range },
          orderBy: ['pointId', 'month'],
        });
        byRange.set(key, loader);
      }
      return loader;
    },
  };
}
