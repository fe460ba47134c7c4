import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { regionCode } from './arguments.js';
import { isKnownDivision, villagesUnder } from './division-codes.js';
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

/** The prefixes among `prefixes` that lie inside or above `code`. */
function nearOf(prefixes: readonly string[], code: string): string[] {
  return prefixes.filter((p) => p.startsWith(code) || code.startsWith(p));
}

/** Official villages under a prefix (division-codes.ts), replaceable in unit tests. */
export type VillageCount = (prefix: string) => Promise<number>;

/**
 * Whether every village under `prefix` lies under one of `others`: one of them at or above it,
 * or those inside it holding all of its villages of the official list (Zhoushan's four
 * counties loaded one by one hold all of Zhoushan).
 */
async function within(prefix: string, others: readonly string[], count: VillageCount) {
  if (others.some((o) => prefix.startsWith(o))) return true;
  const inside = others.filter((o) => o.startsWith(prefix));
  const outer = inside.filter((o) => !inside.some((i) => i !== o && o.startsWith(i)));
  if (outer.length === 0) return false;
  let held = 0;
  for (const o of new Set(outer)) held += await count(o);
  return held === (await count(prefix));
}

/**
 * Whether a domain holding `held` has figures for `code` that agree with what places holds:
 * `placesScopes` are the scopes places was loaded with that lie inside or above the code
 * (places' `Region.loadedScopes`), `children` the child regions places lists of it. False
 * outside every domain scope. Otherwise, both ways, at any depth: every places scope near the
 * code lies inside the domain's scopes (Zhejiang over a Songyang load is refused when places
 * holds all of Lishui) and places lists no child the domain holds nothing of; and every domain
 * scope near the code, cut to the code, lies inside places' scopes — a domain loaded with
 * Lishui counted all of Lishui over the villages places holds of Songyang (coverage 8.069).
 * "Inside" counts the official villages: scopes loaded county by county hold their city.
 * Without places' scopes (a places database loaded before it recorded them, or a region view
 * asked without them) the children are all there is to compare, one level down. Without a
 * recorded scope of its own the domain does not know, and answers (true).
 */
export async function wholeFor(
  held: readonly string[],
  code: string,
  places: { scopes?: readonly string[] | null; children?: readonly string[] | null } = {},
  count: VillageCount = villagesUnder,
): Promise<boolean> {
  const holding = holdingOf(held, code);
  if (holding === undefined) return true;
  if (holding === 'none') return false;
  const cut = (p: string) => (p.length > code.length ? p : code);
  if (places.scopes) {
    const placesNear = nearOf(places.scopes, code).map(cut);
    for (const d of nearOf(held, code))
      if (!(await within(cut(d), placesNear, count))) return false;
  }
  if (holding === 'all') return true;
  if (places.children?.some((c) => holdingOf(held, c) === 'none')) return false;
  const heldNear = nearOf(held, code).map(cut);
  for (const p of nearOf(places.scopes ?? [], code)) {
    if (!(await within(cut(p), heldNear, count))) return false;
  }
  return true;
}

/** How long a read of the loaded scopes is trusted before refusing a place outside them. */
const RECHECK_MS = 1_000;

/** What places sent of a region for the check (`@requires`: REGION_COUNTS in references.ts). */
export interface PlacesHolding {
  /** Places' `Region.loadedScopes`: its scopes inside or above the region; null: not known. */
  loadedScopes?: readonly string[] | null;
  /** Places' child regions of the region. */
  children?: readonly { code: string }[] | null;
}

/**
 * A subgraph's loaded scopes, read when it starts, after a load in the same process, and again
 * at most once a second: a domain reads them again before it refuses a place (answering a place
 * it holds costs no statement), places before it tells the domains its scopes
 * (`Region.loadedScopes`, `current`). A scope loaded by another process is seen within a second
 * (unless none was recorded at start: then only after a restart).
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

  /** The recorded prefixes as last read, without reading. */
  get known(): readonly string[] {
    return this.prefixes;
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

  /** The recorded prefixes, read again if the last read is over a second old. */
  async current(): Promise<readonly string[]> {
    if (Date.now() - this.readAt >= RECHECK_MS) await this.refresh();
    return this.prefixes;
  }

  /**
   * Whether the domain's figures for `code` are whole relative to what places holds
   * (`wholeFor`): places' scopes near the region and its children, when the gateway sent them.
   */
  async covers(code: string, places?: PlacesHolding): Promise<boolean> {
    if (await this.whole(code, places)) return true;
    if (Date.now() - this.readAt < RECHECK_MS) return false;
    await this.refresh();
    return this.whole(code, places);
  }

  private whole(code: string, places: PlacesHolding | undefined): Promise<boolean> {
    return wholeFor(this.prefixes, code, {
      scopes: places?.loadedScopes,
      children: places?.children?.map((c) => c.code),
    });
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
  places?: PlacesHolding,
): Promise<void> {
  const held = (ctx as { heldScope?: HeldScope } | undefined)?.heldScope;
  if (held && !(await held.covers(code, places))) throw notLoaded();
}

/**
 * The region code a domain's list is filtered by (`regionCode`, `filter.regionCode`): its form
 * checked as `regionCode` does (BAD_USER_INPUT), and refused with NOT_LOADED where the domain
 * holds none of the region — its list would be empty, read as "none there", where the domain
 * simply has no record of it. A region it holds part of lists the rows of its loaded scopes (a
 * list cannot tell what places holds; the region's view does); a code that is no division of
 * the official list lists nothing, as it always did.
 */
export async function heldRegionCode(
  ctx: unknown,
  value: string,
  field: string,
  opts: { village?: boolean } = {},
): Promise<string> {
  const code = regionCode(value, field, opts);
  const held = (ctx as { heldScope?: HeldScope } | undefined)?.heldScope;
  if (held && !(await held.covers(code)) && (await isKnownDivision(code))) throw notLoaded();
  return code;
}
