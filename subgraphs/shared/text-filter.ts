import { raw } from '@mikro-orm/core';
import type { EntityManager } from './database.js';
import { badUserInput } from './errors.js';
import { isSqlite } from './bulk.js';

/** The longest text a `…Contains` filter takes. */
const MAX_CONTAINS = 50;

/**
 * A MikroORM condition: the `column` holds `text` as it is, the same on every database. `LIKE`
 * cannot say so: SQLite's ignores the case of Latin letters (`a区` found `温泉花园A区…`, which
 * PostgreSQL's does not) and has no escape character unless told, so `%` and `_` would be
 * patterns there. `instr` and `strpos` compare the characters. A raw fragment serves one query
 * only: call this for each. Null for no text (no condition); `field` names the argument.
 */
export function containsText(
  em: EntityManager,
  column: string,
  text: string | null | undefined,
  field: string,
): Record<string, unknown> | null {
  if (!text) return null;
  if (text.length > MAX_CONTAINS) throw badUserInput(`\`${field}\` is too long.`, field);
  const find = isSqlite(em.getKnex()) ? 'instr' : 'strpos';
  return { [raw((alias) => `${find}(${alias}.${column}, ?)`, [text])]: { $gt: 0 } };
}
