import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { rowLoader } from '../../shared/loaders.js';
import { groupKeys } from '../common/group-keys.js';
import { RegionCultureRollup } from './region-rollup.entity.js';

export interface RegionUsageKey {
  regionCode: string;
  from: string;
  to: string;
}

/** Usage sums of a region over a month range, read from the monthly rollup. */
export interface RegionUsageSums {
  reports: number;
  visits: number;
  resourceViews: number;
  medicalAppointmentSessions: number;
  socialInsuranceSessions: number;
  eGovernmentSessions: number;
  otherAssistedSessions: number;
  events: number;
  eventAttendance: number;
}

const SUMS: [keyof RegionUsageSums, string][] = [
  ['reports', 'reports'],
  ['visits', 'visits'],
  ['resourceViews', 'resource_views'],
  ['medicalAppointmentSessions', 'medical_appointment_sessions'],
  ['socialInsuranceSessions', 'social_insurance_sessions'],
  ['eGovernmentSessions', 'e_government_sessions'],
  ['otherAssistedSessions', 'other_assisted_sessions'],
  ['events', 'events'],
  ['eventAttendance', 'event_attendance'],
];

export function createRegionLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    /** One rollup row per region: one IN query for every region of a request. */
    regionRollup: rowLoader<string, RegionCultureRollup>(
      (codes) => em.find(RegionCultureRollup, { regionCode: { $in: [...codes] } }),
      (r) => r.regionCode,
    ),
    /** Usage sums of many regions over one month range: one grouped query per range. */
    regionUsage: new DataLoader<RegionUsageKey, RegionUsageSums, string>(
      async (keys) => {
        const sums = new Map<string, RegionUsageSums>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const { from, to } = group[0];
          const rows: Record<string, string | number | null>[] = await em.execute(
            knex('region_usage_rollup')
              .select('region_code')
              .select(SUMS.map(([, column]) => knex.raw(`sum(${column}) as ${column}`)))
              .whereIn(
                'region_code',
                group.map((k) => k.regionCode),
              )
              .where('month', '>=', from)
              .where('month', '<=', to)
              .groupBy('region_code'),
          );
          for (const row of rows) {
            const value = Object.fromEntries(
              SUMS.map(([key, column]) => [key, Number(row[column] ?? 0)]),
            ) as unknown as RegionUsageSums;
            sums.set(`${row.region_code}|${from}|${to}`, value);
          }
        }
        const zero = Object.fromEntries(SUMS.map(([k]) => [k, 0])) as unknown as RegionUsageSums;
        return keys.map((k) => sums.get(`${k.regionCode}|${k.from}|${k.to}`) ?? zero);
      },
      { cacheKeyFn: (k) => `${k.regionCode}|${k.from}|${k.to}` },
    ),
  };
}
