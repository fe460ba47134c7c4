import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import {
  groupLoader,
  loaderPerRange,
  ofCodesInMonths,
  rowBy,
  rowsBy,
} from '../../shared/loaders.js';
import { mapRow } from '../../shared/plain-rows.js';
import { RegionBookingRollup, RegionHealthcareRollup } from './rollup.entity.js';

/** Assisted bookings of one village over a month range (all its points, all kinds). */
export interface VillageBookings {
  total: number;
  pointMonths: number;
  reportedPointMonths: number;
}

export function createRegionLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    rollupByRegion: rowBy(em, RegionHealthcareRollup, 'regionCode'),
    /** All regions asking for the same month range share one query. */
    bookingsByRegion: loaderPerRange((range) =>
      rowsBy(em, RegionBookingRollup, 'regionCode', {
        between: { prop: 'month', ...range },
        orderBy: ['regionCode', 'month'],
      }),
    ),
    /**
     * The rollup rows of the children (one level down) of many regions: one statement per
     * child code length, i.e. per request in practice. Villages are not in this table.
     */
    childRollups: groupLoader<string, RegionHealthcareRollup>(
      async (parents) => {
        const rows: RegionHealthcareRollup[] = [];
        for (const length of new Set(parents.map((p) => p.length))) {
          const childLength = CHILD_LENGTH[length];
          if (!childLength) continue;
          const found: Record<string, unknown>[] = await em.execute(
            knex('region_healthcare_rollup')
              .select('*')
              .whereIn(
                knex.raw(`substr(region_code, 1, ${length})`) as never,
                parents.filter((p) => p.length === length),
              )
              .andWhere(knex.raw(`length(region_code) = ${childLength}`))
              .orderBy('region_code'),
          );
          rows.push(...found.map((r) => mapRow(em, RegionHealthcareRollup, r)));
        }
        return rows;
      },
      (r) => r.regionCode.slice(0, PARENT_LENGTH[r.regionCode.length]),
    ),
    /** Bookings per village over one range, from the base table: one query per range. */
    bookingsByVillage: loaderPerRange(
      (range) =>
        new DataLoader<string, VillageBookings>(async (codes) => {
          const rows: Record<string, unknown>[] = await em.execute(
            knex('assisted_booking_month')
              .select('village_code')
              .select(
                knex.raw('sum(doctor_appointments + test_results + insurance) as total'),
                knex.raw('count(*) as point_months'),
                knex.raw(
                  "sum(case when provenance_kind = 'SYNTHETIC' then 0 else 1 end) as reported",
                ),
              )
              .modify(ofCodesInMonths('village_code', codes, range))
              .groupBy('village_code'),
          );
          const byCode = new Map(
            rows.map((r) => [
              String(r.village_code),
              {
                total: Number(r.total ?? 0),
                pointMonths: Number(r.point_months ?? 0),
                reportedPointMonths: Number(r.reported ?? 0),
              },
            ]),
          );
          return codes.map(
            (c) => byCode.get(c) ?? { total: 0, pointMonths: 0, reportedPointMonths: 0 },
          );
        }),
    ),
  };
}

/** Code length one level down (province → city → county → township). */
const CHILD_LENGTH: Record<number, number> = { 2: 4, 4: 6, 6: 9 };
const PARENT_LENGTH: Record<number, number> = { 4: 2, 6: 4, 9: 6 };
