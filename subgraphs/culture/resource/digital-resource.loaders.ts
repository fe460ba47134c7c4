import DataLoader from 'dataloader';
import type { EntityManager } from '../../shared/database.js';
import { compareByCodePoint } from '../../shared/collation.js';
import { findIn, rowBy } from '../../shared/loaders.js';
import { firstRowsOfEach, pageLoader } from '../../shared/page-loader.js';
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
    /**
     * Pages of offering auditoriums for many resources: each resource's page read from the index
     * on (resource_id, auditorium_id), limit + 1 rows a resource, in one statement (UNION ALL).
     * A window numbering every link read all of a resource's auditoriums (about 35,000 each in
     * the national data): one page of every resource kept culture busy 0.8 s, aliased pages more.
     */
    offeredByPages: pageLoader<OfferedByPageKey, Auditorium>({
      parent: (k) => k.resourceId,
      rows: async (group) => {
        const { limit, after } = group[0];
        const links = await firstRowsOfEach<{ resource_id: string; auditorium_id: string }>(
          knex,
          [...new Set(group.map((k) => k.resourceId))],
          (id) => {
            const page = knex('auditorium_resource')
              .select('resource_id', 'auditorium_id')
              .where('resource_id', id);
            return after ? page.where('auditorium_id', '>', after) : page;
          },
          'auditorium_id',
          limit + 1,
          (statement) => em.execute(statement),
        );
        const auditoriums = links.length
          ? await findIn(em, Auditorium, 'id', [...new Set(links.map((l) => l.auditorium_id))])
          : [];
        const byId = new Map(auditoriums.map((a) => [a.id, a]));
        // In the order the next page's `>` continues from (UNION ALL keeps no order of its own).
        links.sort((a, b) => compareByCodePoint(a.auditorium_id, b.auditorium_id));
        return links.map((l) => [l.resource_id, byId.get(l.auditorium_id)!] as const);
      },
    }),
  };
}
