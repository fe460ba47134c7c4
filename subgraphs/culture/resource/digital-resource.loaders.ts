import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { findIn, rowBy } from '../../shared/loaders.js';
import { pageLoader } from '../../shared/page-loader.js';
import { Auditorium } from '../auditorium/auditorium.entity.js';
import { DigitalResource } from './digital-resource.entity.js';

export interface OfferedByPageKey {
  resourceId: string;
  limit: number;
  /** Id of the last auditorium seen. */
  after: string | null;
}

export function createResourceLoaders(em: EntityManager) {
  const knex = em.getKnex();
  return {
    resourceById: rowBy(em, DigitalResource, 'id'),
    /** How many auditoriums offer each resource: one grouped count for all resources asked. */
    offeredByCount: new DataLoader<string, number>(async (ids) => {
      const rows: { resource_id: string; n: number | string }[] = await em.execute(
        knex('auditorium_resource')
          .select('resource_id')
          .count('* as n')
          .whereIn('resource_id', [...ids])
          .groupBy('resource_id'),
      );
      const byId = new Map(rows.map((r) => [r.resource_id, Number(r.n)]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
    /** Pages of offering auditoriums for many resources: one windowed query per page shape. */
    offeredByPages: pageLoader<OfferedByPageKey, Auditorium>({
      parent: (k) => k.resourceId,
      rows: async (group) => {
        const { limit, after } = group[0];
        const inner = knex('auditorium_resource')
          .select('resource_id', 'auditorium_id')
          .select(
            knex.raw('row_number() over (partition by resource_id order by auditorium_id) as rn'),
          )
          .whereIn(
            'resource_id',
            group.map((k) => k.resourceId),
          );
        if (after) inner.where('auditorium_id', '>', after);
        const links: { resource_id: string; auditorium_id: string }[] = await em.execute(
          knex
            .select('resource_id', 'auditorium_id')
            .from(inner.as('t'))
            .where('rn', '<=', limit + 1),
        );
        const auditoriums = links.length
          ? await findIn(em, Auditorium, 'id', [...new Set(links.map((l) => l.auditorium_id))])
          : [];
        const byId = new Map(auditoriums.map((a) => [a.id, a]));
        links.sort((a, b) => (a.auditorium_id < b.auditorium_id ? -1 : 1));
        return links.map((l) => [l.resource_id, byId.get(l.auditorium_id)!] as const);
      },
    }),
  };
}
