import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { findIn, groupKeys, groupLoader, rowBy } from '../../shared/loaders.js';
import { mapRow } from '../../shared/plain-rows.js';
import { pageLoader } from '../../shared/page-loader.js';
import { AuditoriumEvent } from '../event/auditorium-event.entity.js';
import { DigitalResource } from '../resource/digital-resource.entity.js';
import { AuditoriumMonthlyUsage } from '../usage/auditorium-usage.entity.js';
import { Auditorium } from './auditorium.entity.js';

export interface EventPageKey {
  auditoriumId: string;
  limit: number;
  /** `date|id` of the last event seen (events run newest first). */
  after: string | null;
}

export interface UsageRangeKey {
  auditoriumId: string;
  from: string;
  to: string;
}

export function createAuditoriumLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    auditoriumById: rowBy(em, Auditorium, 'id'),
    /** A village has at most one auditorium. */
    auditoriumByVillage: rowBy(em, Auditorium, 'villageCode'),
    /** The catalogue items each auditorium offers: one join query for all auditoriums asked. */
    resourcesOfAuditorium: groupLoader<string, { auditoriumId: string; resource: DigitalResource }>(
      async (ids) => {
        const rows: Record<string, unknown>[] = await em.execute(
          knex('auditorium_resource as l')
            .join('digital_resource as r', 'r.id', 'l.resource_id')
            .select('r.*', 'l.auditorium_id as link_auditorium_id')
            .whereIn('l.auditorium_id', [...ids])
            .orderBy(['l.auditorium_id', 'r.id']),
        );
        // The same resource may serve many auditoriums: pair it with the link, not mutate it.
        return rows.map(({ link_auditorium_id, ...row }) => ({
          auditoriumId: link_auditorium_id as string,
          resource: mapRow(em, DigitalResource, row),
        }));
      },
      (pair) => pair.auditoriumId,
    ),
    /** Monthly usage of many auditoriums over the same month range: one query per range. */
    usageOfAuditorium: new DataLoader<UsageRangeKey, AuditoriumMonthlyUsage[], string>(
      async (keys) => {
        const byId = new Map<string, AuditoriumMonthlyUsage[]>();
        for (const group of groupKeys(keys, (k) => `${k.from}|${k.to}`)) {
          const rows = await findIn(
            em,
            AuditoriumMonthlyUsage,
            'auditoriumId',
            group.map((k) => k.auditoriumId),
            {
              between: { prop: 'month', from: group[0].from, to: group[0].to },
              orderBy: ['auditoriumId', 'month'],
            },
          );
          for (const row of rows) {
            const key = `${row.auditoriumId}|${group[0].from}|${group[0].to}`;
            byId.set(key, [...(byId.get(key) ?? []), row]);
          }
        }
        return keys.map((k) => byId.get(`${k.auditoriumId}|${k.from}|${k.to}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.auditoriumId}|${k.from}|${k.to}` },
    ),
    /**
     * Pages of events for many auditoriums at once: one windowed query per distinct page size
     * and cursor, whatever the auditorium count; limit + 1 rows tell whether a page follows.
     */
    eventPages: pageLoader<EventPageKey, AuditoriumEvent>({
      parent: (k) => k.auditoriumId,
      rows: async (group) => {
        const { limit, after } = group[0];
        const inner = knex('auditorium_event')
          .select('*')
          .select(
            knex.raw(
              'row_number() over (partition by auditorium_id order by date desc, id desc) as rn',
            ),
          )
          .whereIn(
            'auditorium_id',
            group.map((k) => k.auditoriumId),
          );
        if (after) {
          const [date, id] = [after.slice(0, 10), after.slice(11)];
          inner.where((q) =>
            q.where('date', '<', date).orWhere((q2) => q2.where('date', date).where('id', '<', id)),
          );
        }
        const rows: Record<string, unknown>[] = await em.execute(
          knex
            .select('*')
            .from(inner.as('t'))
            .where('rn', '<=', limit + 1)
            .orderBy([
              { column: 'auditorium_id' },
              { column: 'date', order: 'desc' },
              { column: 'id', order: 'desc' },
            ]),
        );
        return rows.map(({ rn, ...columns }) => {
          void rn;
          const event = mapRow(em, AuditoriumEvent, columns);
          return [event.auditoriumId, event] as const;
        });
      },
    }),
  };
}
