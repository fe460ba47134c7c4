import type { EntityManager } from '../../shared/database.js';
import { loaderPerRange, rowBy, rowsBy } from '../../shared/loaders.js';
import { AssistancePoint } from './assistance-point.entity.js';
import { AssistedBookingMonth } from './assisted-booking.entity.js';

export function createAssistanceLoaders(em: EntityManager) {
  return {
    pointById: rowBy(em, AssistancePoint, 'id'),
    pointsByVillage: rowsBy(em, AssistancePoint, 'villageCode', { orderBy: 'id' }),
    /** Bookings of many points over one month range: one query per range. */
    bookingsByPoint: loaderPerRange((range) =>
      rowsBy(em, AssistedBookingMonth, 'pointId', {
        between: { prop: 'month', ...range },
        orderBy: ['pointId', 'month'],
      }),
    ),
  };
}
