import type { EntityManager } from '../../shared/database.js';
import { badUserInput } from '../../shared/errors.js';
import { isPostgres } from './dialect.js';

export const STEWARD_SOURCE = 'Data steward report';

/**
 * Finds the auditorium a mutation writes to, locking its row on PostgreSQL so that two reports
 * for the same auditorium apply their rollup changes one after the other.
 */
export async function lockAuditorium(
  em: EntityManager,
  id: string,
  at?: { value: string; field: string },
): Promise<{ id: string; village_code: string }> {
  const query = em
    .getKnex()('auditorium')
    .select('id', 'village_code', 'year_opened')
    .where('id', id);
  if (isPostgres(em)) query.forUpdate();
  const [row] = (await em.execute(query)) as {
    id: string;
    village_code: string;
    year_opened: number | null;
  }[];
  if (!row) throw badUserInput(`No auditorium has id "${id}".`, 'input.auditoriumId');
  // As commerce refuses sales before a store opened: nothing is reported of a month or a day
  // before the auditorium's opening year, where it is known.
  if (at && row.year_opened !== null && Number(at.value.slice(0, 4)) < row.year_opened) {
    throw badUserInput(
      `\`${at.field}\` is before the auditorium opened (${row.year_opened}).`,
      at.field,
    );
  }
  return { id: row.id, village_code: row.village_code };
}
