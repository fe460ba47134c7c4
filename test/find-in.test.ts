import type { EntityClass } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommerceRegion, CommerceRegionStore } from '../subgraphs/commerce/rollup/rollup.entity.js';
import { Enterprise, EnterpriseYear } from '../subgraphs/commerce/enterprise/enterprise.entity.js';
import { StoreMonthlySales } from '../subgraphs/commerce/sales/sales.entity.js';
import { EcommercePark } from '../subgraphs/commerce/park/park.entity.js';
import { ServicePoint } from '../subgraphs/commerce/service-point/service-point.entity.js';
import { OnlineStore } from '../subgraphs/commerce/store/store.entity.js';
import { Auditorium } from '../subgraphs/culture/auditorium/auditorium.entity.js';
import { AuditoriumMonthlyUsage } from '../subgraphs/culture/usage/auditorium-usage.entity.js';
import { DigitalResource } from '../subgraphs/culture/resource/digital-resource.entity.js';
import { RegionCultureRollup } from '../subgraphs/culture/rollup/rollup.entity.js';
import { VillageAccess } from '../subgraphs/healthcare/access/village-access.entity.js';
import { AssistancePoint } from '../subgraphs/healthcare/assistance/assistance-point.entity.js';
import { AssistedBookingMonth } from '../subgraphs/healthcare/assistance/assisted-booking.entity.js';
import { Facility, FacilityLevel } from '../subgraphs/healthcare/facility/facility.entity.js';
import {
  RegionBookingRollup,
  RegionHealthcareRollup,
} from '../subgraphs/healthcare/rollup/rollup.entity.js';
import { TelemedicineLink } from '../subgraphs/healthcare/telemedicine/telemedicine-link.entity.js';
import { Region } from '../subgraphs/places/region/region.entity.js';
import { Village, VillageKind } from '../subgraphs/places/village/village.entity.js';
import type { EntityManager } from '../subgraphs/shared/database.js';
import { findIn } from '../subgraphs/shared/loaders.js';
import { mapRow, plainRowMapper } from '../subgraphs/shared/plain-rows.js';
import { SUBGRAPHS } from '../scripts/subgraphs.js';
import { bootSubgraph, type BootedSubgraph } from './support/subgraph.js';

// findIn (subgraphs/shared/loaders.ts) writes its own statement and, outside a transaction, maps
// the rows without MikroORM's hydration (plain-rows.ts); here every read the loaders make with it
// is compared, entity by entity and field by field (with the class of every object: entity and
// embeddables), with em.find's answer to the same question, on real seeded data (SQLite and
// PostgreSQL).

interface Case {
  entity: EntityClass<object>;
  prop: string;
  options?: {
    where?: Record<string, string>;
    between?: { prop: string; from: string; to: string };
    orderBy?: string | string[];
  };
}

/** The conditions of a case besides the keys, as em.find takes them. */
const conditions = (c: Case) => ({
  ...c.options?.where,
  ...(c.options?.between && {
    [c.options.between.prop]: { $gte: c.options.between.from, $lte: c.options.between.to },
  }),
});
const MONTHS = { prop: 'month', from: '2020-03', to: '2020-08' };

const CASES: Record<string, Case[]> = {
  places: [
    { entity: Village, prop: 'code' },
    { entity: Region, prop: 'code' },
    { entity: Region, prop: 'parentCode', options: { orderBy: 'code' } },
    {
      entity: Village,
      prop: 'countyCode',
      options: { where: { kind: VillageKind.RURAL_VILLAGE }, orderBy: 'code' },
    },
  ],
  culture: [
    { entity: Auditorium, prop: 'id' },
    { entity: Auditorium, prop: 'villageCode' },
    { entity: DigitalResource, prop: 'id' },
    {
      entity: AuditoriumMonthlyUsage,
      prop: 'auditoriumId',
      options: { between: MONTHS, orderBy: ['auditoriumId', 'month'] },
    },
    { entity: RegionCultureRollup, prop: 'regionCode' },
  ],
  healthcare: [
    { entity: Facility, prop: 'id' },
    {
      entity: Facility,
      prop: 'villageCode',
      options: { where: { level: FacilityLevel.VILLAGE_CLINIC } },
    },
    { entity: VillageAccess, prop: 'villageCode' },
    { entity: TelemedicineLink, prop: 'facilityId', options: { orderBy: 'partnerId' } },
    { entity: RegionHealthcareRollup, prop: 'regionCode' },
    { entity: AssistancePoint, prop: 'villageCode', options: { orderBy: 'id' } },
    {
      entity: AssistedBookingMonth,
      prop: 'pointId',
      options: { between: MONTHS, orderBy: ['pointId', 'month'] },
    },
    {
      entity: RegionBookingRollup,
      prop: 'regionCode',
      options: { between: MONTHS, orderBy: ['regionCode', 'month'] },
    },
  ],
  commerce: [
    { entity: Enterprise, prop: 'villageCode', options: { orderBy: 'id' } },
    { entity: Enterprise, prop: 'parkId', options: { orderBy: 'id' } },
    { entity: EcommercePark, prop: 'id' },
    { entity: ServicePoint, prop: 'villageCode', options: { orderBy: 'id' } },
    {
      entity: EnterpriseYear,
      prop: 'enterpriseId',
      options: { orderBy: ['enterpriseId', 'year'] },
    },
    {
      entity: CommerceRegionStore,
      prop: 'regionCode',
      options: { orderBy: ['platform', 'category'] },
    },
    {
      entity: StoreMonthlySales,
      prop: 'storeId',
      options: { between: MONTHS, orderBy: ['storeId', 'month'] },
    },
    { entity: CommerceRegion, prop: 'regionCode' },
    { entity: OnlineStore, prop: 'id' },
  ],
};

/**
 * Each row's own fields as the resolvers read them (not through an entity's `toJSON`), every
 * object with its class and its keys in order.
 */
const described = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(described)
    : value && typeof value === 'object'
      ? [
          value.constructor.name,
          ...Object.keys(value)
            .sort()
            .map((k) => [k, described((value as Record<string, unknown>)[k])]),
        ]
      : value;
const plain = (rows: object[]) => rows.map((r) => JSON.stringify(described(r)));

for (const [name, cases] of Object.entries(CASES)) {
  describe(`findIn answers as em.find does (${name})`, () => {
    let booted: BootedSubgraph;
    let em: () => EntityManager;
    beforeAll(async () => {
      booted = await bootSubgraph(
        SUBGRAPHS.find((d) => d.name === name)!,
        {
          scopes: ['331124'],
        },
      );
      em = () => booted.started.orm.em.fork() as EntityManager;
    }, 120_000);
    afterAll(() => booted?.close());

    for (const c of cases) {
      it(`${c.entity.name}.${c.prop}${c.options ? ' ' + JSON.stringify(c.options) : ''}`, async () => {
        // Keys of up to 40 rows with a value for the property, and one that matches nothing.
        const some = await em().find(c.entity, { [c.prop]: { $ne: null } }, { limit: 40 });
        const keys = [
          ...new Set(some.map((r) => (r as Record<string, string>)[c.prop])),
          'no-such-key',
        ];
        expect(keys.length).toBeGreaterThan(1);
        const where = { [c.prop]: { $in: keys }, ...conditions(c) };
        const orderBy = c.options?.orderBy
          ? Object.fromEntries([c.options.orderBy].flat().map((o) => [o, 'asc' as const]))
          : undefined;
        const expected = plain(await em().find(c.entity, where, { orderBy }));
        booted.sql.reset();
        const actual = plain(
          await findIn(em(), c.entity, c.prop as never, keys, c.options as never),
        );
        expect(booted.sql.count).toBe(1);
        expect(actual.length).toBeGreaterThan(0);
        if (orderBy) expect(actual).toEqual(expected);
        else expect([...actual].sort()).toEqual([...expected].sort());
      });
    }

    it('reads through em.find inside a transaction, seeing what is not flushed yet', async () => {
      const c = cases[0];
      const [first] = await em().find(c.entity, {}, { limit: 1 });
      const key = (first as Record<string, string>)[c.prop];
      await em()
        .transactional(async (tx) => {
          const [row] = await tx.find(c.entity, { [c.prop]: key });
          const edited = row as Record<string, unknown>;
          const field = Object.keys(edited).find(
            (k) => typeof edited[k] === 'string' && k !== c.prop && k !== 'id',
          )!;
          edited[field] = 'changed in the transaction';
          const [again] = await findIn(tx as EntityManager, c.entity, c.prop as never, [key]);
          expect((again as Record<string, unknown>)[field]).toBe('changed in the transaction');
          throw new Error('roll back');
        })
        .catch((err: Error) => expect(err.message).toBe('roll back'));
    });

    it('answers every case inside a transaction with managed entities, as em.find does', async () => {
      await em()
        .transactional(async (tx) => {
          for (const c of cases) {
            const filter = { [c.prop]: { $ne: null }, ...conditions(c) };
            const some = await tx.find(c.entity, filter, { limit: 20 });
            const keys = [...new Set(some.map((r) => (r as Record<string, string>)[c.prop]))];
            const rows = await findIn(
              tx as EntityManager,
              c.entity,
              c.prop as never,
              keys,
              c.options as never,
            );
            expect(rows.length, c.entity.name).toBeGreaterThan(0);
            // Managed: the very objects the transaction's identity map holds.
            const managed = tx.getUnitOfWork().getIdentityMap().values();
            for (const row of rows) expect(managed).toContain(row);
          }
          throw new Error('roll back');
        })
        .catch((err: Error) => expect(err.message).toBe('roll back'));
    });

    it('maps every entity it reads without hydration, and leaves nothing managed', async () => {
      const fork = em();
      for (const c of cases) {
        const meta = fork.getMetadata().get(c.entity.name);
        expect(plainRowMapper(meta, fork.getPlatform()), c.entity.name).not.toBeNull();
        const filter = { [c.prop]: { $ne: null }, ...conditions(c) };
        const [some] = await fork.find(c.entity, filter, { limit: 1 });
        fork.clear();
        const key = (some as Record<string, string>)[c.prop];
        const rows = await findIn(fork, c.entity, c.prop as never, [key], c.options as never);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows[0]).toBeInstanceOf(c.entity);
        expect(fork.getUnitOfWork().getIdentityMap().values()).toEqual([]);
      }
    });

    it('maps raw rows of every entity of the subgraph as em.map does, a missing column too', async () => {
      const fork = em();
      const metas = Object.values(fork.getMetadata().getAll()).filter(
        (m) => !m.embeddable && !m.virtual && m.class,
      );
      let mapped = 0;
      for (const meta of metas) {
        const raw = await fork
          .getConnection('read')
          .execute<Record<string, unknown>[]>(
            `select * from ${meta.tableName} limit 50`,
            [],
            'all',
          );
        if (!plainRowMapper(meta, fork.getPlatform())) continue;
        for (const row of raw) {
          // A row as read, and the same row without one column (a select that left it out).
          const partial = { ...row };
          delete partial[Object.keys(row).at(-1)!];
          for (const r of [row, partial]) {
            const expected = em().map(meta.class, { ...r });
            expect(plain([mapRow(em(), meta.class, { ...r })]), meta.className).toEqual(
              plain([expected]),
            );
          }
          mapped++;
        }
      }
      expect(mapped).toBeGreaterThan(50);
    });

    it('reads nothing for no key', async () => {
      booted.sql.reset();
      expect(await findIn(em(), cases[0].entity, cases[0].prop as never, [])).toEqual([]);
      expect(booted.sql.count).toBe(0);
    });
  });
}
