import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { GatewayIdentity } from '../../contract/identity.js';
import { replicasOf } from './database.js';
import { takeTurns } from './transaction.js';

/**
 * The change outbox of a domain subgraph (issue "partner sync", docs/partners.md): every write
 * records which village (or region) it changed, in the same transaction as the write, so a
 * committed change is never missing and a rolled-back or refused one never appears. Places reads
 * the outboxes of the three domains and serves them as one feed (`villageChanges`).
 *
 * Order: a row's id is its position in its domain's feed. Rows must become visible in id order
 * (a reader that has seen id n must never later find a new id below n): SQLite runs one write
 * transaction at a time, and on PostgreSQL every write takes the same transaction-scoped
 * advisory lock before inserting its row, so the rows commit in the order their ids were drawn.
 */
@Entity({ tableName: 'village_change' })
export class VillageChange {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The village changed; null for a change to a region only (a township's health centre). */
  @Index()
  @Property({ type: 'string', length: 12, nullable: true })
  villageCode?: string | null;

  /** The region the change belongs to, where there is one (the village's county otherwise). */
  @Property({ type: 'string', length: 12, nullable: true })
  regionCode?: string | null;

  /** What changed, as the write names it (`auditoriumUsage`, `onlineStore`, …). */
  @Property({ type: 'string', length: 40 })
  what!: string;

  /** When the write ran (ISO 8601, UTC). */
  @Property({ type: 'string', length: 30 })
  changedAt!: string;
}

/** Any constant: the advisory lock every write of a domain database takes before its row. */
const OUTBOX_LOCK = 7_106_019;

/**
 * Records a change; call inside the write's transaction (inside `once` of idempotency.ts, so an
 * idempotent replay, which does not run the write, records nothing either).
 */
export async function recordChange(
  trx: Knex.Transaction,
  change: Change,
  ...more: Change[]
): Promise<void> {
  await takeTurns(trx, OUTBOX_LOCK);
  const changedAt = new Date().toISOString();
  const rows = [change, ...more].map((c) => ({
    village_code: c.villageCode ?? null,
    region_code: c.regionCode ?? null,
    what: c.what,
    changed_at: changedAt,
  }));
  // 4 bound values a row: far below SQLite's and PostgreSQL's limits per statement.
  for (let i = 0; i < rows.length; i += 500) {
    await trx('village_change').insert(rows.slice(i, i + 500));
  }
}

type Change = { villageCode?: string | null; regionCode?: string | null; what: string };

/** The identity kind of a subgraph reading another's outbox (places, for the change feed). */
export const SERVICE_IDENTITY_KIND = 'service';

@ObjectType('_OutboxRow', { description: 'One row of a domain subgraph’s change outbox.' })
@Directive('@inaccessible')
@Directive('@shareable')
export class OutboxRow {
  @Field(() => Int)
  id!: number;

  @Field(() => ID, { nullable: true })
  villageCode?: string | null;

  @Field(() => ID, { nullable: true })
  regionCode?: string | null;

  @Field()
  what!: string;

  @Field()
  changedAt!: string;
}

@ObjectType('_Outbox', { description: 'Rows of a change outbox after a position, and its end.' })
@Directive('@inaccessible')
@Directive('@shareable')
export class Outbox {
  @Field(() => [OutboxRow])
  rows!: OutboxRow[];

  @Field(() => Int, {
    description:
      'The highest id committed, and held by every read replica, when the rows were read.',
  })
  end!: number;
}

/** Most rows one read may ask for. */
export const MAX_OUTBOX_ROWS = 1_000;

interface OutboxContext {
  em: { getKnex(): Knex; getDriver(): unknown };
  identity?: GatewayIdentity;
}

/** The highest id of the outbox as one database holds it (0 when empty). */
async function lastId(knex: Knex): Promise<number> {
  const [{ end }] = (await knex('village_change').max({ end: 'id' })) as { end: unknown }[];
  return Number(end ?? 0);
}

/**
 * `_outbox(after, first)`: the rows after a position, for places only — `@inaccessible` (never in
 * the API the gateway serves) and answered only to a caller signed as a service with the shared
 * secret.
 */
@Resolver()
export class OutboxResolver {
  @Directive('@inaccessible')
  @Directive('@shareable')
  @Query(() => Outbox, { name: '_outbox', description: 'Internal: the change outbox.' })
  async outbox(
    @Arg('after', () => Int) after: number,
    @Arg('first', () => Int) first: number,
    @Ctx() ctx: OutboxContext,
  ): Promise<Outbox> {
    if (ctx.identity?.kind !== SERVICE_IDENTITY_KIND) {
      throw new GraphQLError('Not available.', { extensions: { code: 'FORBIDDEN' } });
    }
    const limit = Math.max(1, Math.min(MAX_OUTBOX_ROWS, first));
    const knex = ctx.em.getKnex();
    // The end first: rows committed after it are read next time, never skipped. No further than
    // every read replica has replayed: a reader told of a change reads the village again, from
    // a replica, and must find the change there. A replica replays the primary's commits in
    // order and the rows commit in id order, so one holding row n holds every write up to it.
    const [primaryEnd, ...replicaEnds] = await Promise.all(
      [knex, ...replicasOf(ctx.em).map((c) => c.getKnex())].map(lastId),
    );
    // A reader already past what a replica holds (a replica added, or restored, behind the
    // others) is told nothing new, not an end before its position, which the feed reads as this
    // database restored to an earlier state; past the primary's own end it is that.
    const held = Math.min(primaryEnd, ...replicaEnds);
    const end = Math.max(held, Math.min(Math.max(0, after), primaryEnd));
    const rows = (await knex('village_change')
      .select('id', 'village_code', 'region_code', 'what', 'changed_at')
      .where('id', '>', Math.max(0, after))
      .andWhere('id', '<=', end)
      .orderBy('id')
      .limit(limit)) as Record<string, unknown>[];
    return {
      end,
      rows: rows.map((r) => ({
        id: Number(r.id),
        villageCode: (r.village_code as string | null) ?? null,
        regionCode: (r.region_code as string | null) ?? null,
        what: String(r.what),
        changedAt: String(r.changed_at),
      })),
    };
  }
}
