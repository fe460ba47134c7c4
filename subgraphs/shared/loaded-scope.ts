import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { scopePrefix } from './divisions.js';
import { badUserInput } from './errors.js';

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
 * to it would dangle. Check the code against the division list first (`villageCode`).
 */
export async function villageInLoadedScope(
  knex: Knex,
  code: string,
  field: string,
): Promise<string> {
  const prefixes = await loadedPrefixes(knex);
  if (!prefixes.some((p) => code.startsWith(p))) {
    throw badUserInput(
      `\`${field}\` is not a village of a loaded scope: the places subgraph does not hold it.`,
      field,
    );
  }
  return code;
}
