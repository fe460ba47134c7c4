import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { scopePrefix } from './divisions.js';
import { badUserInput, notLoaded } from './errors.js';

/**
 * The scopes the seed command loaded, recorded in each domain subgraph's own database, so that
 * a write can tell whether places holds a village without reading places' tables. Both sides
 * follow one rule (docs/data.md, "Cross-subgraph references"): loading a scope puts into places
 * every village-level unit of the official division list whose code starts with the scope's
 * prefix (`scopePrefix`), and records that prefix here. A village code is therefore held by
 * places exactly when it is in the division list and starts with a recorded prefix.
 */
@Entity({ tableName: 'loaded_scope' })
export class LoadedScope {
  /** Code prefix of the scope: '' for national, '33' for zhejiang, else the region code. */
  @PrimaryKey({ type: 'string', length: 9 })
  prefix!: string;

  /** The scope as the seed command was given it (`zhejiang`, `331124`, …), for operators. */
  @Property({ type: 'string', length: 20 })
  scope!: string;
}

/**
 * Records a loaded scope; call in the seed's transaction, so it lands with the scope's rows.
 * The set stays minimal and the same however the scopes were reached (loading 331124 then 3311
 * leaves 3311 alone, as loading 3311 does): a prefix already covered adds nothing, a wider one
 * replaces those it covers. No timestamp, so reloading leaves the table unchanged.
 */
export async function recordLoadedScope(trx: Knex, scope: string): Promise<void> {
  const prefix = scopePrefix(scope);
  if ((await loadedPrefixes(trx)).some((p) => prefix.startsWith(p))) return;
  await trx('loaded_scope').where('prefix', 'like', `${prefix}%`).delete();
  await trx('loaded_scope').insert({ prefix, scope });
}

/** The recorded scope prefixes (a handful of rows). */
export async function loadedPrefixes(knex: Knex): Promise<string[]> {
  const rows = (await knex('loaded_scope').select('prefix')) as { prefix: string }[];
  return rows.map((r) => r.prefix);
}

/**
 * Refuses a village code outside every loaded scope: places does not hold it, so a reference
 * to it would dangle. Check the code against the division list first (`villageCode`). With the
 * database's HeldScope (every running subgraph has one), a village inside a scope it holds
 * costs no statement, and a scope another process loaded is seen within a second (`inScope`);
 * without it, the scopes are read.
 */
export async function villageInLoadedScope(
  scopes: HeldScope | Knex,
  code: string,
  field: string,
): Promise<string> {
  const inside =
    scopes instanceof HeldScope
      ? await scopes.inScope(code)
      : (await loadedPrefixes(scopes)).some((p) => code.startsWith(p));
  if (!inside) {
    throw badUserInput(
      `\`${field}\` is not a village of a loaded scope: the places subgraph does not hold it.`,
      field,
    );
  }
  return code;
}

/**
 * How loaded scopes hold a division code: `all` of it (it lies inside a scope), `part` (a
 * region above a scope: the domain holds its villages in the scopes only), `none`; undefined
 * when no scope is recorded (a database loaded before `loaded_scope` existed): not known.
 */
export type Holding = 'all' | 'part' | 'none';

export function holdingOf(prefixes: readonly string[], code: string): Holding | undefined {
  if (prefixes.length === 0) return undefined;
  if (prefixes.some((p) => code.startsWith(p))) return 'all';
  return prefixes.some((p) => p.startsWith(code)) ? 'part' : 'none';
}

/** How long a read of the loaded scopes is trusted before refusing a place outside them. */
const RECHECK_MS = 1_000;

/**
 * A domain subgraph's loaded scopes, read when it starts, after a load in the same process,
 * and again (at most once a second) before it refuses a place: answering a place it holds
 * costs no statement, and a scope loaded by another process is seen within a second (unless
 * none was recorded at start: then only after a restart).
 */
export class HeldScope {
  private prefixes: string[] = [];
  private readAt = 0;
  private reading: Promise<void> | undefined;

  constructor(private readonly read: () => Promise<string[]>) {}

  refresh(): Promise<void> {
    this.reading ??= this.read()
      .then((prefixes) => {
        this.prefixes = prefixes;
        this.readAt = Date.now();
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /**
   * Whether the domain's figures for `code` are whole: false when it holds none of the place,
   * or holds part of a region of which places sent a child (`children`) it holds none of —
   * places then counts villages the domain has no record of. Above the loaded scopes, with
   * every child held (places loaded alike), the figures are those of the villages loaded.
   */
  async covers(code: string, children?: readonly string[]): Promise<boolean> {
    if (this.whole(code, children)) return true;
    if (Date.now() - this.readAt < RECHECK_MS) return false;
    await this.refresh();
    return this.whole(code, children);
  }

  /**
   * Whether `code` lies inside a loaded scope (none recorded: no), read again before saying no
   * if the last read is a second old: a write's village (villageInLoadedScope).
   */
  async inScope(code: string): Promise<boolean> {
    const inside = () => this.prefixes.some((p) => code.startsWith(p));
    if (inside() || Date.now() - this.readAt < RECHECK_MS) return inside();
    await this.refresh();
    return inside();
  }

  private whole(code: string, children: readonly string[] | undefined): boolean {
    const held = holdingOf(this.prefixes, code);
    if (held === undefined || held === 'all') return true;
    if (held === 'none') return false;
    return !children?.some((c) => holdingOf(this.prefixes, c) === 'none');
  }
}

/** The HeldScope of each open database (bootstrap.ts), refreshed by a load in the same process. */
export const heldScopes = new WeakMap<object, HeldScope>();

/**
 * Throws NOT_LOADED unless the domain of `ctx` holds the place's data whole (`covers`): a
 * domain's view of a place it was not loaded with would answer the zeros of a place without
 * any record (coverage 0, no auditorium) as if they were its figures.
 */
export async function assertHeld(
  ctx: unknown,
  code: string,
  children?: readonly { code: string }[] | null,
): Promise<void> {
  const held = (ctx as { heldScope?: HeldScope } | undefined)?.heldScope;
  if (
    held &&
    !(await held.covers(
      code,
      children?.map((c) => c.code),
    ))
  )
    throw notLoaded();
}
