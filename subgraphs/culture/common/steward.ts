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
): Promise<{ id: string; village_code: string }> {
  const query = em.getKnex()('auditorium').select('id', 'village_code').where('id', id);
  if (isPostgres(em)) query.forUpdate();
  const [row] = (await em.execute(query)) as { id: string; village_code: string }[];
  if (!row) throw badUserInput(`No auditorium has id "${id}".`, 'input.auditoriumId');
  return row;
}
